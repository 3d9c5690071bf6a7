-- Every city of China, prelit_diverted, 2024 and 2025 (2024 for YoY), computed from county
-- quarters in one statement, as the server would without rollups. Beside
-- GET /api/v1/comparison?indicator=prelit_diverted&year=2025&level=2&within=all.
WITH ids AS (SELECT id FROM indicators WHERE code = 'prelit_diverted'),
targets AS (SELECT code FROM regions WHERE level = 2),
scope AS (SELECT DISTINCT leaf_code AS code FROM region_leaves WHERE ancestor_code IN (SELECT code FROM targets)),
pv AS (
  SELECT v.region_code AS region, v.year,
    COALESCE(MAX(CASE WHEN v.quarter = 0 THEN v.value END), SUM(CASE WHEN v.quarter > 0 THEN v.value END)) AS val,
    CASE WHEN MAX(CASE WHEN v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
      ELSE SUM(CASE WHEN v.quarter > 0 THEN 1 ELSE 0 END) END AS nq_val
  FROM kpi_values v JOIN scope s ON s.code = v.region_code
  WHERE v.indicator_id IN (SELECT id FROM ids) AND v.year BETWEEN 2024 AND 2025 AND v.status IN ('submitted', 'approved')
  GROUP BY v.region_code, v.year)
SELECT count(*), sum(val), sum(leaves), sum(partials) FROM (
  SELECT rl.ancestor_code, pv.year, SUM(pv.val) AS val, COUNT(*) AS leaves, SUM(CASE WHEN pv.nq_val < 4 THEN 1 ELSE 0 END) AS partials
  FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
  WHERE +rl.ancestor_code IN (SELECT code FROM targets)
  GROUP BY rl.ancestor_code, pv.year);
