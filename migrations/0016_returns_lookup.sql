-- Returns at any store (issue 19.7): a counter finds the guest orders placed with a customer's e-mail
-- (orders of registered customers are found through orders_customer).
CREATE INDEX orders_guest_email ON orders (lower(email), id DESC) WHERE customer_id IS NULL;
