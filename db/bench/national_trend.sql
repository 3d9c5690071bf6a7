-- Two provinces and three cities, prelit_diverted, 2016–2025, each from its counties' quarters.
-- Beside GET /api/v1/series?indicator=prelit_diverted&region=330000&region=320000&region=330100&region=440300&region=510100&from=2016&to=2025.
WITH ids AS (SELECT id FROM indicators WHERE code = 'prelit_diverted'),
targets AS (SELECT code FROM regions WHERE code IN (330000, 320000, 330100, 440300, 510100)),
scope AS (SELECT DISTINCT leaf_code AS code FROM region_leaves WHERE ancestor_code IN (SELECT code FROM targets)),
pv AS (
  SELECT v.region_code AS region, v.year,
    COALESCE(MAX(CASE WHEN v.quarter = 0 THEN v.value END), SUM(CASE WHEN v.quarter > 0 THEN v.value END)) AS val,
    CASE WHEN MAX(CASE WHEN v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
      ELSE SUM(CASE WHEN v.quarter > 0 THEN 1 ELSE 0 END) END AS nq_val
  FROM kpi_values v JOIN scope s ON s.code = v.region_code
  WHERE v.indicator_id IN (SELECT id FROM ids) AND v.year BETWEEN 2016 AND 2025 AND v.status IN ('submitted', 'approved')
  GROUP BY v.region_code, v.year)
SELECT count(*), sum(val), sum(leaves) FROM (
  SELECT rl.ancestor_code, pv.year, SUM(pv.val) AS val, COUNT(*) AS leaves
  FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
  WHERE +rl.ancestor_code IN (SELECT code FROM targets)
  GROUP BY rl.ancestor_code, pv.year);
