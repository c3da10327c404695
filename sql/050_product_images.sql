-- 050_product_images: several pictures per product. A row names a stem;
-- the files are STEM-thumb.webp, STEM-card.webp and STEM-page.webp
-- (lib/shop/image.h), served by nginx under /img/ with immutable caching,
-- so a stem changes whenever its picture does. Demo products get three
-- drawn tiles (lib/shop/image_tile.h), drawn on first request
-- (handlers/storefront/img_pages.c); products.image_url is the card size
-- of position 0, so listings and search hits carry it without a join.
CREATE TABLE IF NOT EXISTS product_images (
    product_id bigint NOT NULL REFERENCES products ON DELETE CASCADE,
    position   int NOT NULL CHECK (position >= 0),
    stem       text NOT NULL CHECK (stem ~ '^/img/[a-z]+/[A-Za-z0-9-]+$'),
    source     text NOT NULL DEFAULT 'tile' CHECK (source IN ('tile', 'upload')),
    PRIMARY KEY (product_id, position)
);

-- The stem of a drawn tile: its version is a digest of what is drawn, so
-- a product whose brand, colour or category changes gets new names.
CREATE OR REPLACE FUNCTION product_tile_stem_of(id bigint, ref text, brand text, color text,
                                                cat text, pos int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT '/img/p/' || id || '-' || pos || '-' ||
           left(md5(concat_ws('|', ref, brand, color, cat, pos, 'tile1')), 10)
$$;
CREATE OR REPLACE FUNCTION product_tile_stem(p products, cat text, pos int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT product_tile_stem_of(p.id, p.ref, p.brand, p.color, cat, pos)
$$;

-- Gives every product without pictures its three tiles and points
-- image_url at the first one's card size. Returns the products changed;
-- souk-import calls it after a load, this migration once. The import
-- writes image_url itself (sql/import/esci.sql), so after a load no
-- product row is rewritten here (an UPDATE of every product costs ~15 s
-- of index maintenance).
CREATE OR REPLACE FUNCTION product_images_generate() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    INSERT INTO product_images (product_id, position, stem)
    SELECT p.id, g.pos, product_tile_stem(p, c.name, g.pos)
      FROM products p JOIN categories c ON c.id = p.category_id
     CROSS JOIN generate_series(0, 2) AS g(pos)
     WHERE NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)
    ON CONFLICT DO NOTHING;
    UPDATE products p SET image_url = i.stem || '-card.webp'
      FROM product_images i
     WHERE i.product_id = p.id AND i.position = 0
       AND p.image_url IS DISTINCT FROM i.stem || '-card.webp';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

SELECT product_images_generate();
