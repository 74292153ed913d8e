# Steward: two commands do all the set-up on a fresh machine.
#   make run    serve Steward with a demo government on http://127.0.0.1:8000/
#   make test   run the whole test suite on SQLite and on PostgreSQL
# Both are safe to run again: each step redoes only what has changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test test-sqlite test-postgres lint browser-deps bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Python packages, pinned by constraints.txt.
$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# GOV.UK Frontend (and axe-core for the accessibility tests) from npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

run: deps
	$(BIN)/steward run

# Debian's chromium for the browser tests (Playwright drives it).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium fonts-liberation >/dev/null; }

test: deps browser-deps
	$(PY) -m pytest -n 2 --dist loadfile -q
	$(PY) -m tests.support.pgserver -- $(PY) -m pytest -n 2 --dist loadfile -q

lint: deps
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy --strict src/steward/ledger src/steward/discovery

bench: deps
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(PY) -m bench.ledger_bench
	$(PY) -m bench.discovery_bench
	$(PY) -m bench.checks_bench
	$(PY) -m bench.assets_bench
	command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.assets_load

clean:
	rm -rf $(VENV) node_modules var
