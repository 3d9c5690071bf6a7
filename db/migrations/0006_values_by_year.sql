-- 0006: kpi_values in (indicator, year, region) order, covering what the
-- own figures need. Every county of China for a year is then one range of
-- this index, read in 5 ms, where kpi_values_agg (region before year) takes
-- 2,850 seeks and 45 ms; queries for a few regions keep seeking that one.
CREATE INDEX kpi_values_by_year ON kpi_values (indicator_id, year, region_code, quarter, status, value);
