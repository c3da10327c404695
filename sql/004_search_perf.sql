-- 004_search_perf: enough work memory for a common word's match bitmap.
--
-- With the default work_mem (4 MB) the bitmap of a common word at 1M
-- products ("black": 211,633 matches) does not fit and goes lossy: every
-- row of a lossy page is rechecked against search_doc, which means
-- decompressing the whole document of rows that do not even match
-- (bench/search.sh, 1M catalog, EXPLAIN of the filtered class: "Heap
-- Blocks: exact=35993 lossy=99026, Rows Removed by Index Recheck: 371408",
-- 1.2M buffer hits + 281k reads, 5.2 s in the Bitmap Heap Scan; the
-- materialised match set also spilled 10 MB to temp files). At 32 MB the
-- bitmap stays exact and nothing spills: the same request 4.9 s -> 1.1-1.9 s,
-- the one-word "black" 7.2 s -> 2.5 s (loaded 2-core machine). The demo
-- catalog is unaffected (its bitmaps are small). A database default, like
-- 003's jit = off: each search backend may use this much per sort/hash/
-- bitmap node, a few of them per pool worker.
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET work_mem = %L', current_database(), '32MB');
END $$;
