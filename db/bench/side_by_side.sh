#!/bin/sh
# make bench-sql: the national chart-data endpoints over HTTP (server time, aggregate cache
# off, BenchmarkNationalPages) beside the same aggregates computed from county quarters in the
# sqlite3 CLI on the same file, in one run. Usage: side_by_side.sh DB
set -eu
db=$1
here=$(dirname "$0")
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI (apt-get install sqlite3)"; exit 1; }

# The median of five CLI runs, in ms.
sql_ms() {
	for i in 1 2 3 4 5; do
		(echo .timer on; cat "$here/$1.sql") | sqlite3 "$db" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p'
	done | sort -n | sed -n 3p | awk '{printf "%.1f", $1 * 1000}'
}

bench=$(GOVKPI_BENCH_DB=$(realpath "$db") go test -run '^$' -bench NationalPages -benchtime 10x ./internal/web/)
http_ms() {
	echo "$bench" | grep -F "$1" | awk '{printf "%.1f", $3 / 1e6}'
}

printf '%-44s %10s %10s %7s\n' "aggregate" "HTTP ms" "SQL ms" "ratio"
for row in "every city of China|level=2&within=all|national_cities" \
	"every county of China|level=3&within=all|national_counties" \
	"5 regions × 10 years|api/v1/series|national_trend"; do
	name=${row%%|*}; rest=${row#*|}; path=${rest%%|*}; file=${rest#*|}
	h=$(http_ms "$path"); s=$(sql_ms "$file")
	printf '%-44s %10s %10s %7s\n' "$name" "$h" "$s" "$(echo "$h $s" | awk '{printf "%.2f", $1 / $2}')"
done
echo "cockpit of 浙江省 (server time):" "$(http_ms '/?region=330000')" ms
