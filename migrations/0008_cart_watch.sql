-- A cart change is announced to other processes (NOTIFY) only while some device streams that cart.
-- NOTIFY serialises commits on a cluster-wide lock, so announcing every change of every cart costs
-- about a third of the database's cart throughput. A stream sets watched_until (and renews it); a
-- change that updates the same row sees it, because both take the row's lock (see carts/stream.ts).
ALTER TABLE carts ADD COLUMN watched_until timestamptz;
