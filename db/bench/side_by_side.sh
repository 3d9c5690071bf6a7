#!/bin/sh
# make bench-sql: the national chart-data endpoints over HTTP (server time, BenchmarkNationalPages,
# with the aggregate cache off and as the server runs) beside the same aggregates computed from
# county quarters in the sqlite3 CLI on the same file, in one run. Usage: side_by_side.sh DB
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

# With the garbage collector as serve sets it by default (--memory-limit 200: GOGC off, a
# 200 MiB soft limit), so that the figure is the server's time.
bench=$(GOGC=off GOMEMLIMIT=200MiB GOVKPI_BENCH_DB=$(realpath "$db") go test -run '^$' -bench NationalPages -benchtime 20x ./internal/web/)
# http_ms RUN PATH: the server time of PATH in RUN (computed: cache off; cached: as it runs).
http_ms() {
	echo "$bench" | grep -F "/$1/" | grep -F "$2" | awk '{printf "%.1f", $3 / 1e6}'
}

printf '%-30s %14s %7s %12s %7s %8s\n' "aggregate" "HTTP computed" "ratio" "HTTP cached" "ratio" "SQL ms"
for row in "every city of China|level=2&within=all|national_cities" \
	"every county of China|level=3&within=all|national_counties" \
	"5 regions × 10 years|api/v1/series|national_trend"; do
	name=${row%%|*}; rest=${row#*|}; path=${rest%%|*}; file=${rest#*|}
	h=$(http_ms computed "$path"); c=$(http_ms cached "$path"); s=$(sql_ms "$file")
	printf '%-30s %14s %7s %12s %7s %8s\n' "$name" "$h" "$(echo "$h $s" | awk '{printf "%.2f", $1 / $2}')" \
		"$c" "$(echo "$c $s" | awk '{printf "%.2f", $1 / $2}')" "$s"
done
echo "cockpit of 浙江省 (server time): computed $(http_ms computed '/?region=330000') ms, cached $(http_ms cached '/?region=330000') ms"
