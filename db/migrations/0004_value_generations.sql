-- 0004: a counter per indicator, raised in the same transaction as every
-- write to its values. Each instance keeps aggregate answers in memory
-- labelled with the counters they were computed under, and reads the
-- counters (one primary-key lookup) before it trusts one: an answer is
-- never served after a write it does not include, whichever instance
-- wrote. (0003 is the documents migration.)
CREATE TABLE value_generations (
    indicator_id BIGINT NOT NULL PRIMARY KEY REFERENCES indicators (id),
    gen          BIGINT NOT NULL
);
