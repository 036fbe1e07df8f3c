# Two commands for a fresh machine: `make run` (embedded demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PYTHONPATH := $(CURDIR)

.PHONY: install sysdeps run test lint openapi lock clean

# System packages: Python 3.11+ with venv; WeasyPrint's Pango, the harfbuzz font subsetter (without
# it a Chinese render takes seconds, not a fraction of one), the Noto CJK fonts the PDFs embed, and
# poppler-utils (pdftotext, pdftoppm) that the tests read PDFs with. apt runs only when one is missing.
# Checked on every install (a few dpkg lookups), so an existing checkout gets new packages too.
SYSPKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
sysdeps:
	@missing=$$(for p in $(SYSPKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(VENV)/.sysdeps:
	@$(PYTHON) -c 'import sys, venv; assert sys.version_info >= (3, 11)' 2>/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq python3 python3-venv)
	$(PYTHON) -m venv $(VENV)
	touch $@

$(VENV)/.installed: $(VENV)/.sysdeps pyproject.toml requirements.lock
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q -p $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

install: sysdeps $(VENV)/.installed

# Embedded mode: SQLite file in instance/, jobs inline, files on disk.
run: install
	$(BIN)/alembic upgrade head
	$(BIN)/flask --app app demo load
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

# Against PostgreSQL and Redis when reachable (TEST_DATABASE_URL / TEST_REDIS_URL or the standard
# local ports); otherwise SQLite, with a header line saying what was not covered.
test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

openapi: install
	$(BIN)/flask --app app spec > openapi.yaml

lock:
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra prod -p $(BIN)/python -o requirements.lock

clean:
	rm -rf $(VENV) instance .pytest_cache
