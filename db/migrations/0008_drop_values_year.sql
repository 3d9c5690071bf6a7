-- 0008: kpi_values_year (year alone) served only the first and last year
-- with values, which kpi_values_by_year answers as well, one indicator at
-- a time (Store.Years). Every value written paid for it: a bulk load of a
-- province spent a twelfth of its time keeping it.
DROP INDEX kpi_values_year{{on_kpi_values}};
