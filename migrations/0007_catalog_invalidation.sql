-- Processes cache what a channel sells at which price (carts read it on every request). Any change to
-- the catalog, whatever writes it (API, CSV import, SQL), makes every process forget that cache when
-- the change commits.
CREATE FUNCTION plaza_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('plaza_invalidate', 'catalog_facts|*');
  RETURN NULL;
END $$;

CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_catalog_changed();
CREATE TRIGGER variants_changed AFTER INSERT OR UPDATE OR DELETE ON variants
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_catalog_changed();
CREATE TRIGGER prices_changed AFTER INSERT OR UPDATE OR DELETE ON prices
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_catalog_changed();
CREATE TRIGGER product_channels_changed AFTER INSERT OR UPDATE OR DELETE ON product_channels
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_catalog_changed();
CREATE TRIGGER channels_changed AFTER UPDATE ON channels
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_catalog_changed();
