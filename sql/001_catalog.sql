-- 001_catalog: sellers, the category tree, products, variants, offers,
-- warehouses and inventory (DESIGN.md §2). Money is integer cents.

CREATE TABLE sellers (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL,
    slug           text NOT NULL UNIQUE,
    is_platform    boolean NOT NULL DEFAULT false,
    rating         numeric(2,1) NOT NULL DEFAULT 4.5,
    commission_bps int NOT NULL DEFAULT 1000 CHECK (commission_bps BETWEEN 500 AND 2000),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- path is the materialised chain of ids ('1.4.9') so a subtree is one
-- prefix match: path = $1 OR path LIKE $1 || '.%'.
CREATE TABLE categories (
    id        bigserial PRIMARY KEY,
    parent_id bigint REFERENCES categories,
    name      text NOT NULL,
    slug      text NOT NULL,
    path      text NOT NULL,
    depth     int NOT NULL,
    UNIQUE (parent_id, slug)
);
CREATE INDEX categories_path_idx ON categories (path text_pattern_ops);
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE products (
    id            bigserial PRIMARY KEY,
    ref           text NOT NULL UNIQUE,          -- source identifier (ASIN)
    title         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    bullet_points text NOT NULL DEFAULT '',
    brand         text NOT NULL DEFAULT '',
    color         text NOT NULL DEFAULT '',
    category_id   bigint NOT NULL REFERENCES categories,
    seller_id     bigint NOT NULL REFERENCES sellers,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    sales_rank    int NOT NULL,
    rating        numeric(2,1),
    rating_count  int NOT NULL DEFAULT 0,
    image_url     text NOT NULL DEFAULT '',
    -- denormalised by the catalog write paths for sorting and listing:
    -- cheapest in-stock offer, else cheapest offer; in_stock: any stock.
    price_min     bigint,
    in_stock      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_rank_idx ON products (category_id, sales_rank);
CREATE INDEX products_rank_idx ON products (sales_rank) WHERE status = 'active' AND in_stock;

CREATE TABLE product_variants (
    id         bigserial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products,
    sku        text NOT NULL UNIQUE,
    size       text NOT NULL DEFAULT '',
    color      text NOT NULL DEFAULT '',
    price      bigint NOT NULL CHECK (price >= 0),   -- list price
    currency   char(3) NOT NULL DEFAULT 'USD',
    images     text[] NOT NULL DEFAULT '{}',
    position   int NOT NULL DEFAULT 0
);
CREATE INDEX product_variants_product_idx ON product_variants (product_id);

CREATE TABLE offers (
    id          bigserial PRIMARY KEY,
    variant_id  bigint NOT NULL REFERENCES product_variants,
    seller_id   bigint NOT NULL REFERENCES sellers,
    sku         text NOT NULL UNIQUE,
    price       bigint NOT NULL CHECK (price > 0),
    shipping    bigint NOT NULL DEFAULT 0 CHECK (shipping >= 0),
    condition   text NOT NULL DEFAULT 'new',
    fulfillment text NOT NULL CHECK (fulfillment IN ('FBA', 'FBM')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    UNIQUE (variant_id, seller_id)
);
CREATE INDEX offers_variant_idx ON offers (variant_id);

CREATE TABLE warehouses (
    id        bigserial PRIMARY KEY,
    name      text NOT NULL,
    seller_id bigint REFERENCES sellers,   -- NULL: a platform (FBA) warehouse
    region    text NOT NULL
);

-- The CHECK is the second wall behind the conditional reservation UPDATE.
CREATE TABLE inventory (
    sku_id             bigint NOT NULL REFERENCES offers,
    warehouse_id       bigint NOT NULL REFERENCES warehouses,
    quantity_available int NOT NULL,
    quantity_reserved  int NOT NULL DEFAULT 0,
    quantity_sold      int NOT NULL DEFAULT 0,
    PRIMARY KEY (sku_id, warehouse_id),
    CHECK (quantity_available >= 0 AND quantity_reserved >= 0 AND quantity_sold >= 0)
);
