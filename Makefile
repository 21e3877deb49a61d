# Two commands for people: `make demo` (try the system) and `make test` (the whole suite).
# Everything runs through .venv/bin/... so nobody has to activate the virtualenv.

VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, each with its own test database (and its own Chromium).
# worksteal: the few long tests (migrations back and forth) do not leave a worker idle.
# TEST_WORKERS=0 runs the suite in one process (pdb, -x, reading one failure at a time).
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) $(if $(filter 0,$(TEST_WORKERS)),,--dist worksteal)
# Where SQLite and uploads live (config.settings.VAR_DIR); a fresh checkout lacks it.
VAR_DIR := $(or $(DJANGO_VAR_DIR),var)
# Pango/HarfBuzz that WeasyPrint loads at import time (Debian 12 package names).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: demo test test-new-year pdf-libs stack stack-stop load faults

$(PY):
	python3 -m venv $(VENV)

# Stamp files: reinstall only when pyproject.toml changes. Building the project leaves
# setuptools' build/ and egg-info in the tree; they are by-products, not sources.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet .
	rm -rf build servicedesk.egg-info
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet ".[test]"
	rm -rf build servicedesk.egg-info
	touch $@ $(VENV)/.installed

pdf-libs: | $(VENV)/.installed
	@$(PY) -c "import weasyprint" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(PDF_LIBS); \
	  else \
	    echo "WeasyPrint cannot load Pango: as root, apt-get install $(PDF_LIBS)"; exit 1; \
	  fi; }
	@$(PY) -c "import weasyprint"

demo: $(VENV)/.installed pdf-libs
	mkdir -p $(VAR_DIR)
	$(PY) manage.py migrate
	$(PY) manage.py demo_data
	@echo
	@echo "Open http://127.0.0.1:8000/ and log in with one of the users above (Ctrl+C stops)."
	@# The task worker (audit packs) runs beside the web server; Ctrl+C reaches both, and the
	@# trap stops the worker whichever way the server ends. Without its reloader (whose child
	@# would outlive the kill), the worker takes code changes at the next `make demo`.
	trap 'kill $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-test pdf-libs
	bash scripts/e2e_setup.sh
	mkdir -p $(VAR_DIR)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# The non-browser suite with the clock at a year's first half hour in Shanghai (UTC is still
# in the old year), so month-end and year-end faults show whatever day the suite runs.
FAKE_NOW ?= 2027-01-01 00:30:00
test-new-year: $(VENV)/.installed-test pdf-libs
	@command -v faketime >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y faketime; \
	  else echo "faketime is missing: as root, apt-get install faketime"; exit 1; fi; }
	mkdir -p $(VAR_DIR)
	TZ=Asia/Shanghai faketime -f "@$(FAKE_NOW)" $(PY) -c \
	  "import datetime; print('clock:', datetime.datetime.now())"
	@# FAKETIME_DONT_RESET: the processes a test starts (the task workers) go on from the
	@# suite's clock; by default each would start again at FAKE_NOW, minutes behind it.
	@# Not the schema migrations' tests either: they migrate fixed rows back and forth, read
	@# no clock, and take a quarter of the suite's time (they run in both dated stages).
	TZ=Asia/Shanghai FAKETIME_DONT_RESET=1 faketime -f "@$(FAKE_NOW)" $(PY) -m pytest \
	  -m "not e2e and not migrations" $(XDIST) $(PYTEST_ARGS)

# A production-like stack on loopback (scripts/stack.sh): nginx on :8080 in front of two
# gunicorn instances, the task worker, PostgreSQL's database servicedesk_stack; then the desk's
# day at 30 users against it (scripts/load.py), and the same under a killed worker and a
# PostgreSQL restart (scripts/faults.py). LOAD_ARGS passes options (--users, --duration...).
LOAD_ARGS ?=
stack: $(VENV)/.installed pdf-libs
	bash scripts/stack.sh start

stack-stop:
	bash scripts/stack.sh stop

load: $(VENV)/.installed
	$(PY) scripts/load.py $(LOAD_ARGS)

faults: $(VENV)/.installed
	$(PY) scripts/faults.py $(LOAD_ARGS)
