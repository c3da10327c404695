-- 070_search_typo: what typo correction (lib/search/search_correct.c)
-- needs besides 003's trigram index. Trigrams miss a swapped or replaced
-- letter in a short word ("woevn" shares 2 of 10 trigrams with "woven"),
-- so candidates also come from the words with the same first letter and a
-- near length, filtered by levenshtein_less_equal (fuzzystrmatch, a
-- trusted extension shipped with PostgreSQL); typo.c then applies the
-- Damerau distance and the per-word budget.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE INDEX IF NOT EXISTS search_words_first_len_idx
    ON search_words (left(word, 1), length(word));
