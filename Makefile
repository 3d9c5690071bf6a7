# govkpi — the Makefile is the menu. A new user needs two targets:
#   make run    build, create db/govkpi.db with demo data (once), serve on :8080
#   make test   run every test
GO      ?= go
BIN     := bin/govkpi
DB      ?= db/govkpi.db
ADDR    ?= :8080

.PHONY: build run test bench bench-national bench-sql lint fmt clean demo-national load fuzz extract-eval

build:
	$(GO) build -o $(BIN) ./cmd/govkpi

run: build
	./$(BIN) demo --db $(DB)
	./$(BIN) serve --db $(DB) --addr $(ADDR)

test:
	$(GO) test -count=1 ./...

# Precision and recall of figure extraction on the annotated seed, held-out (two sets) and practice reports.
extract-eval: build
	./$(BIN) extract-eval internal/extract/testdata/gold
	./$(BIN) extract-eval internal/extract/testdata/heldout
	./$(BIN) extract-eval internal/extract/testdata/practice
	./$(BIN) extract-eval internal/extract/testdata/heldout3
	./$(BIN) extract-eval internal/extract/testdata/heldout4
	./$(BIN) extract-eval internal/extract/testdata/heldout5

# Benchmarks of the aggregate queries on a demo database (built once in a temp dir).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./internal/store/ ./internal/web/

# The issue-6 queries (every city and every county of China, five-region trends) on the
# national demo, with the aggregate cache off; the bulk-load rate of one province.
bench-national: build
	test -f db/national.db || ./$(BIN) demo --scale national --db db/national.db
	./$(BIN) migrate --db db/national.db
	GOVKPI_BENCH_DB=$(CURDIR)/db/national.db $(GO) test -run '^$$' -bench National -benchmem -benchtime 10x ./internal/store/
	$(GO) test -run '^$$' -bench LoadProvince -benchtime 2x ./internal/demo/

# The national chart-data endpoints over HTTP (cache off) beside the same aggregates
# in the sqlite3 CLI (apt-get install sqlite3) on the same file, in one run.
bench-sql: build
	test -f db/national.db || ./$(BIN) demo --scale national --db db/national.db
	./$(BIN) migrate --db db/national.db
	sh db/bench/side_by_side.sh db/national.db

# Every fuzz test of the repository, each for FUZZTIME. The list comes from
# go test -list, so a new Fuzz function anywhere runs without an edit here.
FUZZTIME ?= 15s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for fn in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$fn ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# The national demo (about 8.3 million values, 1.7 GB) for scale tests.
demo-national: build
	./$(BIN) demo --scale national --db db/national.db

# Load test: a server on the national demo, 32 readers and 2 editors for 20 s on loopback.
load: build
	$(GO) build -o bin/loadgen ./cmd/loadgen
	test -f db/national.db || ./$(BIN) demo --scale national --db db/national.db
	./$(BIN) serve --db db/national.db --addr 127.0.0.1:18090 > /tmp/govkpi-load.log 2>&1 & \
	pid=$$!; sleep 3; ./bin/loadgen -url http://127.0.0.1:18090 -clients 32 -editors 2 -duration 20s -pid $$pid; \
	status=$$?; kill $$pid; exit $$status

clean:
	rm -rf bin
