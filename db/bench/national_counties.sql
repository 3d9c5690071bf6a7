-- Every county of China, prelit_diverted, 2024 and 2025: each county's year from its quarters.
-- Beside GET /api/v1/comparison?indicator=prelit_diverted&year=2025&level=3&within=all.
WITH pv AS (
  SELECT v.region_code AS region, v.year,
    COALESCE(MAX(CASE WHEN v.quarter = 0 THEN v.value END), SUM(CASE WHEN v.quarter > 0 THEN v.value END)) AS val,
    CASE WHEN MAX(CASE WHEN v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
      ELSE SUM(CASE WHEN v.quarter > 0 THEN 1 ELSE 0 END) END AS nq_val
  FROM kpi_values v JOIN regions r ON r.code = v.region_code AND r.level = 3
  WHERE v.indicator_id = (SELECT id FROM indicators WHERE code = 'prelit_diverted')
    AND v.year BETWEEN 2024 AND 2025 AND v.status IN ('submitted', 'approved')
  GROUP BY v.region_code, v.year)
SELECT count(*), sum(val), sum(nq_val) FROM pv;
