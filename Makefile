# The one set of entry points used by the README and .ci/run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/data/dagster
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
DEMO_LANDING := data/landing
# `monev generate --scale demo` writes the UPT master of its units here (a hidden folder the loader skips)
DEMO_MASTER := $(DEMO_LANDING)/.referensi/upt_master.csv
WAREHOUSE := data/warehouse/monev.duckdb
KEY_FILE := data/pseudonym.key
# The pseudonymisation key: $MONEV_PSEUDONYM_KEY when set, else the demo's random key in data/pseudonym.key.
WITH_KEY = MONEV_PSEUDONYM_KEY="$${MONEV_PSEUDONYM_KEY:-$$(cat $(KEY_FILE))}"
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: axe setup demo demo-data screenshots load serve test test-fast bench bench-dash bench-workers bench-cluster dagster docs clean-data spark reliability

$(BIN)/monev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark,deploy]'
	cd dbt && ../$(BIN)/dbt parse --quiet --profiles-dir . --project-dir .
	touch $(BIN)/monev

## setup: create the virtual environment with every pinned dependency (and axe-core for the browser tests)
setup: $(BIN)/monev axe

# axe-core (npm, pinned) for the browser tests' accessibility checks, in the git-ignored .node/ folder.
AXE_JS := .node/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.10.2
## axe: install axe-core from npm into .node/ (skipped with a note when npm is not installed)
axe: $(AXE_JS)
$(AXE_JS):
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p .node && npm install --prefix .node --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION); \
	else echo "npm tidak ada: uji aksesibilitas (axe-core) akan dilewati; pasang dengan apt-get install -y npm"; fi

# A random demo key, created once (mode 0600) and reused by later loads; never a built-in one.
$(KEY_FILE):
	@mkdir -p data && chmod 700 data
	@(umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $(KEY_FILE).tmp) && mv $(KEY_FILE).tmp $(KEY_FILE)
	@echo "Kunci pseudonim demo dibuat: $(KEY_FILE) (mode 0600)"

## demo: set up, generate the demo exports (every Kanwil, 1-2 UPTs each), load them, create demo accounts, serve
demo: setup demo-data
	$(BIN)/python -m dashboards.demo_accounts $(WAREHOUSE)
	$(BIN)/monev serve --warehouse $(WAREHOUSE) --host $(HOST) --port $(PORT)

## demo-data: generate the demo exports (unless there) and load them with the demo's own UPT master
demo-data: setup $(KEY_FILE)
	@if [ ! -f $(DEMO_LANDING)/manifest.json ] || [ ! -f $(DEMO_MASTER) ]; then \
		$(BIN)/monev generate --out $(DEMO_LANDING) --scale demo; fi
	$(WITH_KEY) $(BIN)/monev load --landing $(DEMO_LANDING) --upt-master $(DEMO_MASTER) --warehouse $(WAREHOUSE)

## screenshots: README screenshots (docs/img/*.png) in headless Chromium from the demo warehouse (loaded if absent)
screenshots: setup
	@if [ ! -f $(WAREHOUSE) ]; then $(MAKE) --no-print-directory demo-data; fi
	$(BIN)/python -m dashboards.screenshots --warehouse $(WAREHOUSE) --out docs/img

## load: (re)load the demo landing folder
load: setup $(KEY_FILE)
	$(WITH_KEY) $(BIN)/monev load --landing $(DEMO_LANDING) $(if $(wildcard $(DEMO_MASTER)),--upt-master $(DEMO_MASTER)) --warehouse $(WAREHOUSE)

serve: setup
	$(BIN)/monev serve --warehouse $(WAREHOUSE) --host $(HOST) --port $(PORT)

## test: the whole test suite (unit, pipeline, dbt, browser)
test: setup
	$(BIN)/pytest -q --durations=40

test-fast: setup
	$(BIN)/pytest -q -m "not slow and not browser"

## bench: benchmarks at national scale; results in bench/results/
bench: setup
	$(BIN)/python -m bench.run

## bench-workers: dashboard latency, 20 users, gunicorn -w 1 vs -w 4 side by side (bench/results/workers.md)
bench-workers: setup
	@if [ ! -f $(WAREHOUSE) ]; then $(MAKE) --no-print-directory demo-data; fi
	$(BIN)/python -m bench.workers --warehouse $(WAREHOUSE)

## bench-dash: page latency only, on the national warehouse of the last `make bench`
bench-dash: setup
	$(BIN)/python -m bench.run --dashboards

## bench-cluster: the national year's dbt models on DuckDB, local Spark and a 2-worker Spark cluster, side by side
bench-cluster: setup
	$(BIN)/python -m bench.cluster

## spark: the same dbt project on a local Apache Spark from the loaded demo warehouse; marts compared with DuckDB's
spark: setup
	$(BIN)/python -m dagster_project.scaleout --work data/warehouse/monev.work.duckdb

## dagster: the Dagster UI against the project's persistent instance
dagster: setup
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/python -c "from dagster_project.cli import _prepare_dagster_home; _prepare_dagster_home()"
	$(BIN)/dagster dev -m dagster_project.definitions -h $(HOST) -p 3000

## docs: dbt documentation site (dbt/target/index.html)
docs: setup
	cd dbt && MONEV_WORK_DB=../data/warehouse/monev.work.duckdb ../$(BIN)/dbt docs generate --profiles-dir . --project-dir .

clean-data:
	rm -rf data/

## reliability: fault injection, hostile input, access control and load tests; writes reliability/RESULTS.md
reliability: setup
	./reliability/run.sh
