# Two entry points for a fresh clone: `make run` (app with demo data on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app taskboerse.app
STAMP := $(VENV)/.installed
# `make run PORT=5101` serves on another port.
PORT ?= 5000

.PHONY: install run test test-fast lint translations clean

# torch is pinned to the CPU build and installed first, so sentence-transformers does not
# pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core for the accessibility checks of the browser tests (tests/e2e), from the npm registry.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is not installed: the browser tests in tests/e2e will be skipped"; fi

install: $(STAMP) $(AXE)

# The background worker (email, alerts, digests, reminders, housekeeping) runs beside the
# web server on the embedded SQLite queue (instance/queue.sqlite) and stops with it.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) reindex
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Everything: the browser journeys once, on their own (they serve their own SQLite database
# and print the axe report), then the rest of the suite in parallel on every core
# (pytest-xdist); the suite's summary is the last thing printed.
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests/e2e
	$(BIN)/python -m pytest -n auto -m "not e2e"

# The inner loop: everything but the slow tests (real model, gunicorn, fuzz, browser).
test-fast: install
	$(BIN)/python -m pytest -n auto -m "not slow" -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check taskboerse tests

# Re-extract UI strings, merge them into the catalogs and compile (after changing texts).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k N_p:1,2 -o taskboerse/translations/messages.pot .
	$(BIN)/pybabel update -i taskboerse/translations/messages.pot -d taskboerse/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d taskboerse/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
