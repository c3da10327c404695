-- 081_return_restock: the units of each order item that went back into
-- stock after a return, so every unit sold goes back at most once however
-- it comes back: a seller's partial return (return-decide approve) adds
-- its units, the whole-order return (RETURNED) restocks only what is left
-- (qty - qty_restocked) and sets it to qty. The CHECK is the second wall
-- behind the conditional UPDATEs (lib/shop/restock.c, inventory.c
-- inv_restock, flash_release.c). docs/MARKETPLACE.md "Returns".
ALTER TABLE order_items ADD COLUMN IF NOT EXISTS qty_restocked int NOT NULL DEFAULT 0
    CONSTRAINT order_items_qty_restocked_check CHECK (qty_restocked BETWEEN 0 AND qty);

-- Orders returned before this migration had every unit restocked by the
-- move to RETURNED; say so, so a seller's return of theirs decided late
-- restocks nothing more.
UPDATE order_items i SET qty_restocked = i.qty
FROM orders o WHERE o.id = i.order_id AND o.status = 'RETURNED' AND i.qty_restocked <> i.qty;
