-- 0005: the year figure of every parent region computed from its leaves,
-- per indicator, kept in the same transaction as every write to a value
-- (store/rollup.go). A comparison of all cities or a ten-year trend then
-- reads one row per region and year instead of aggregating every county's
-- quarters at request time. approved_only is 1 for the figure over approved
-- values only, 0 for the one over every visible value. Rows exist only
-- where at least one leaf reported; a region's own reported figures are not
-- here (they are read from kpi_values).
CREATE TABLE region_rollups (
    indicator_id  BIGINT NOT NULL REFERENCES indicators (id),
    approved_only SMALLINT NOT NULL,
    region_code   INTEGER NOT NULL REFERENCES regions (code),
    year          SMALLINT NOT NULL,
    leaf_val      {{double}} NULL,             -- base indicators: SUM or AVG over the leaves
    leaf_num      {{double}} NULL,             -- ratios: numerator and denominator summed
    leaf_den      {{double}} NULL,             -- over the leaves that reported both
    leaves        INTEGER NOT NULL,            -- leaves that reported
    partials      INTEGER NOT NULL,            -- of those, leaves whose year is incomplete
    PRIMARY KEY (indicator_id, approved_only, region_code, year)
);
