# Grassroots — `make demo` serves the demo county; `make test` runs every check and test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
GR := $(VENV)/bin/grassroots
DATA_DIR ?= var
SCALE ?= city
SEED ?= 1
HOST ?= 127.0.0.1:8000
CHROMIUM ?= /usr/bin/chromium
export GRASSROOTS_DATA_DIR := $(abspath $(DATA_DIR))

.PHONY: demo serve setup venv assets secrets test lint check pytest pytest-pg fuzz bench chromium messages clean

# Python 3.11 if present under that name, else the default python3 (which must be 3.11).
ifeq (, $(shell command -v $(PYTHON)))
PYTHON := python3
endif

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# Demo secrets: generated once, kept beside the database, never committed.
$(DATA_DIR)/secrets.env: | $(VENV)/.installed
	mkdir -p $(DATA_DIR)
	umask 077 && $(PY) -c "import secrets; from cryptography.fernet import Fernet; \
	print('GRASSROOTS_SECRET_KEY=' + secrets.token_urlsafe(50)); \
	print('GRASSROOTS_ID_KEY=' + Fernet.generate_key().decode())" > $@

secrets: $(DATA_DIR)/secrets.env

setup: venv assets secrets
	$(GR) migrate --noinput
	$(GR) demo_setup --scale county --seed $(SEED)

demo: setup
	@echo "Serving the demo on http://$(HOST)/ (Ctrl-C to stop)"
	$(GR) runserver $(HOST) --noreload

serve:
	$(GR) runserver $(HOST) --noreload

chromium:
	@if [ ! -x $(CHROMIUM) ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  echo "Installing Debian chromium and CJK fonts for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

lint: venv
	$(VENV)/bin/ruff check grassroots tests bench
	$(VENV)/bin/ruff format --check grassroots tests bench
	$(VENV)/bin/lint-imports --no-cache

check: venv assets
	DJANGO_SETTINGS_MODULE=grassroots.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=grassroots.settings.test $(PY) manage.py makemigrations --check --dry-run

# The suite on SQLite, then on PostgreSQL when DATABASE_URL is set; 100% coverage of every rules.py.
pytest: venv assets chromium
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 --cov --cov-report= $(PYTEST_ARGS)
	$(VENV)/bin/coverage report --include='grassroots/*/rules.py,grassroots/*/rules/*.py,grassroots/core/id_number.py,grassroots/core/dates.py,grassroots/core/workdays.py' \
	  --fail-under=100 --show-missing

pytest-pg: venv assets chromium
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== PostgreSQL: $$DATABASE_URL"; \
	  $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS); \
	else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test: lint check pytest pytest-pg

# The API fuzz alone (schemathesis over the OpenAPI document; `make pytest` runs it too, with 10 examples per
# operation). More examples: `FUZZ_EXAMPLES=200 make fuzz`; on PostgreSQL when DATABASE_URL is set.
fuzz: venv
	$(VENV)/bin/pytest -p no:cacheprovider tests/fuzz $(PYTEST_ARGS)

bench: venv
	$(PY) bench/run.py --scale $(SCALE) --seed $(SEED)
	$(PY) bench/pages.py --scale $(SCALE) --seed $(SEED)

# Re-extract the English catalogue and compile it (test settings: no secret key is needed).
messages: venv
	cd grassroots && DJANGO_SETTINGS_MODULE=grassroots.settings.test ../$(GR) makemessages -l en --no-obsolete \
	  && DJANGO_SETTINGS_MODULE=grassroots.settings.test ../$(GR) compilemessages -l en

clean:
	rm -rf $(VENV) node_modules
