-- 0001: regions, indicators, values with their history, targets.
-- Written once for all engines; the store expands {{id}}, {{double}} and
-- {{time}} to each engine's type before running it.

CREATE TABLE regions (
    code        INTEGER PRIMARY KEY,          -- GB/T 2260 six-digit code
    name        VARCHAR(100) NOT NULL,
    level       SMALLINT NOT NULL,             -- 1 province, 2 city, 3 county
    parent_code INTEGER NULL REFERENCES regions (code),
    leaves      INTEGER NOT NULL DEFAULT 0     -- leaf regions below; 0 for a leaf
);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_level ON regions (level);

-- Every (ancestor, leaf below it) pair: computed values aggregate over leaves.
CREATE TABLE region_leaves (
    ancestor_code INTEGER NOT NULL REFERENCES regions (code),
    leaf_code     INTEGER NOT NULL REFERENCES regions (code),
    PRIMARY KEY (ancestor_code, leaf_code)
);
CREATE INDEX region_leaves_leaf ON region_leaves (leaf_code);

CREATE TABLE indicators (
    id               {{id}},
    code             VARCHAR(40) NOT NULL UNIQUE,
    name_zh          VARCHAR(200) NOT NULL,
    name_en          VARCHAR(200) NOT NULL,
    category         VARCHAR(40) NOT NULL,
    kind             VARCHAR(20) NOT NULL,
    unit             VARCHAR(20) NOT NULL,
    unit_en          VARCHAR(40) NOT NULL,
    direction        VARCHAR(10) NOT NULL,
    decimals         SMALLINT NOT NULL,
    min_value        {{double}} NOT NULL,
    max_value        {{double}} NOT NULL,
    frequency        VARCHAR(10) NOT NULL,
    period_agg       VARCHAR(10) NOT NULL,
    region_agg       VARCHAR(10) NOT NULL,
    numerator_code   VARCHAR(40) NOT NULL,
    denominator_code VARCHAR(40) NOT NULL,
    scale            {{double}} NOT NULL,
    department       VARCHAR(40) NOT NULL,
    headline         SMALLINT NOT NULL,
    definition_zh    VARCHAR(2000) NOT NULL,
    definition_en    VARCHAR(2000) NOT NULL,
    aliases          VARCHAR(2000) NOT NULL,   -- separated by '|'
    sort_order       INTEGER NOT NULL
);

CREATE TABLE kpi_values (
    id           {{id}},
    region_code  INTEGER NOT NULL REFERENCES regions (code),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    year         SMALLINT NOT NULL,
    quarter      SMALLINT NOT NULL,            -- 0 = a figure for the whole year
    value        {{double}} NOT NULL,
    status       VARCHAR(12) NOT NULL,
    version      INTEGER NOT NULL,
    source       VARCHAR(12) NOT NULL,
    source_ref   VARCHAR(1000) NOT NULL,
    updated_by   VARCHAR(100) NOT NULL,
    updated_at   {{time}} NOT NULL,
    CONSTRAINT kpi_values_cell UNIQUE (region_code, indicator_id, year, quarter)
);
-- Covers the aggregate queries: a few indicators, each region in scope, a
-- range of years. Region before year, so that each region is one seek.
CREATE INDEX kpi_values_agg ON kpi_values (indicator_id, region_code, year, quarter, status, value);
-- Finds the first and last year with data without a scan. Not (status, year):
-- a planner without statistics would take that for the aggregates' year range.
CREATE INDEX kpi_values_year ON kpi_values (year);

-- Appended on every change; the application never updates or deletes it.
CREATE TABLE value_history (
    id           {{id}},
    value_id     BIGINT NOT NULL,
    region_code  INTEGER NOT NULL REFERENCES regions (code),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    year         SMALLINT NOT NULL,
    quarter      SMALLINT NOT NULL,
    old_value    {{double}} NULL,
    new_value    {{double}} NULL,
    old_status   VARCHAR(12) NOT NULL,
    new_status   VARCHAR(12) NOT NULL,
    version      INTEGER NOT NULL,
    actor        VARCHAR(100) NOT NULL,
    source       VARCHAR(12) NOT NULL,
    source_ref   VARCHAR(1000) NOT NULL,
    reason       VARCHAR(1000) NOT NULL,
    at           {{time}} NOT NULL
);
CREATE INDEX value_history_cell ON value_history (region_code, indicator_id, year, quarter);
CREATE INDEX value_history_value ON value_history (value_id);

CREATE TABLE targets (
    id           {{id}},
    region_code  INTEGER NOT NULL REFERENCES regions (code),
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    year         SMALLINT NOT NULL,
    value        {{double}} NOT NULL,
    updated_by   VARCHAR(100) NOT NULL,
    updated_at   {{time}} NOT NULL,
    CONSTRAINT targets_cell UNIQUE (region_code, indicator_id, year)
);
CREATE INDEX targets_indicator ON targets (indicator_id, year);

-- Small facts about this database, e.g. whether it holds demo data.
CREATE TABLE meta (
    name  VARCHAR(64) PRIMARY KEY,
    value VARCHAR(1000) NOT NULL
);
