-- 021_flash_released: the released flash orders of a sale, found without
-- reading every flash order ever placed: the worker's repair of a lost
-- Redis give-back (lib/shop/flash_release.c flash_repair_gives, every
-- 10 s) reads the released orders of the sales still selling.
CREATE INDEX IF NOT EXISTS flash_orders_released ON flash_orders (sale_id, order_id)
    WHERE released;
