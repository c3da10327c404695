-- 060_admin: what the admin pages need. Why an order was cancelled as a
-- column (a declined payment is not a real cancellation: the admin list
-- hides those by default), and indexes for the dashboard's aggregates and
-- the lists' filters, so they stay index scans on a big orders table.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS cancel_reason text;
-- the dashboard's windows (today / 7 / 30 days) and the list's date range:
-- an index-only scan of the window
CREATE INDEX IF NOT EXISTS orders_created_idx ON orders (created_at) INCLUDE (status, total);
-- order_items by product for the top-products aggregate is reached through
-- the window's orders (order_items_order_idx); returns by state
CREATE INDEX IF NOT EXISTS returns_status_idx ON returns (status, created_at DESC);
-- low stock: only the few rows near zero are candidates
CREATE INDEX IF NOT EXISTS inventory_low_idx ON inventory (sku_id) WHERE quantity_available <= 5;
-- the customers list, newest first, and "their orders" by e-mail for guests
CREATE INDEX IF NOT EXISTS users_created_idx ON users (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS orders_email_idx ON orders (lower(email), created_at DESC);
