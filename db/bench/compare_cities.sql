-- The aggregate behind /api/v1/comparison?indicator=prelit_diverted&year=2025&parent=330000,
-- written out as the store runs it, for `make bench-sql`: the same work in the sqlite3 CLI,
-- to set beside the HTTP figure. Run against a demo database.
.timer on
WITH ids AS (SELECT id FROM indicators WHERE code = 'prelit_diverted'),
targets AS (SELECT code FROM regions WHERE parent_code = 330000),
scope AS (SELECT code FROM regions WHERE code IN (SELECT code FROM targets)
          UNION SELECT leaf_code FROM region_leaves WHERE ancestor_code IN (SELECT code FROM targets)),
pv AS (
  SELECT v.region_code AS region, v.year, 0 AS quarter,
    COALESCE(MAX(CASE WHEN v.quarter = 0 THEN v.value END), SUM(CASE WHEN v.quarter > 0 THEN v.value END)) AS val,
    CASE WHEN MAX(CASE WHEN v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
      ELSE SUM(CASE WHEN v.quarter > 0 THEN 1 ELSE 0 END) END AS nq_val
  FROM kpi_values v JOIN scope s ON s.code = v.region_code
  WHERE v.indicator_id IN (SELECT id FROM ids) AND v.year BETWEEN 2024 AND 2025 AND v.status IN ('submitted', 'approved')
  GROUP BY v.region_code, v.year)
SELECT rl.ancestor_code, pv.year, SUM(pv.val), COUNT(*), SUM(CASE WHEN pv.nq_val < 4 THEN 1 ELSE 0 END)
FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
WHERE rl.ancestor_code IN (SELECT code FROM targets)
GROUP BY rl.ancestor_code, pv.year;
