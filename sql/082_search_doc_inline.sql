-- 082_search_doc_inline: a product's search columns stay in the heap;
-- only its description and bullet points go out of line.
--
-- souk-searchd's load reads every active product's search_doc (1.4 KB
-- on average at 1M, up to 4.7 KB) with its title, brand, arrays and
-- image. With the default EXTENDED storage a row past 2 KB had its
-- largest value moved to TOAST first, which was the search_doc, and then
-- whatever else was still over: each row of the load cost an index probe
-- into pg_toast and a heap fetch there (43 % of the backend's CPU at
-- 1M). MAIN keeps a column in the row unless the row passes a page, so
-- the toaster moves the description and bullet points instead, and the
-- load is one sequential scan of the heap (docs/SEARCH.md, "The load
-- reads the heap alone").
--
-- ALTER ... SET STORAGE is a catalog change: rows written from now on
-- follow it, rows already stored move when they are next written or
-- when the table is rewritten (VACUUM FULL products, out of hours).
ALTER TABLE products
    ALTER COLUMN search_doc SET STORAGE MAIN,
    ALTER COLUMN search_title SET STORAGE MAIN,
    ALTER COLUMN title SET STORAGE MAIN,
    ALTER COLUMN ref SET STORAGE MAIN,
    ALTER COLUMN brand SET STORAGE MAIN,
    ALTER COLUMN color SET STORAGE MAIN,
    ALTER COLUMN status SET STORAGE MAIN,
    ALTER COLUMN image_url SET STORAGE MAIN,
    ALTER COLUMN colors SET STORAGE MAIN,
    ALTER COLUMN sizes SET STORAGE MAIN;
