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

.PHONY: demo serve setup venv assets secrets test lint check pytest pytest-pg fuzz bench chromium messages clean \
	serve-prod backup restore

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
	@grep -q '^GRASSROOTS_AUDIT_KEY=' $< || (umask 077 && $(PY) -c "import secrets; \
	print('GRASSROOTS_AUDIT_KEY=' + secrets.token_urlsafe(48))" >> $<)

setup: venv assets secrets
	$(GR) migrate --noinput
	$(GR) demo_setup --scale county --seed $(SEED)

# The demo relaxes the two-factor policy (docs/operations.md, "Sign-in, lockout and two-factor") so that
# demo_admin signs in with the printed password alone; `make demo DEMO_2FA_ROLES=org_admin` keeps it.
DEMO_2FA_ROLES ?=

demo: setup
	@echo "Serving the demo on http://$(HOST)/ (Ctrl-C to stop)"
	@echo "Two-factor sign-in required of: $(if $(DEMO_2FA_ROLES),$(DEMO_2FA_ROLES),nobody (demo); any user may enrol from 账户与安全)"
	GRASSROOTS_2FA_REQUIRED_ROLES=$(DEMO_2FA_ROLES) $(GR) runserver $(HOST) --noreload

serve:
	GRASSROOTS_2FA_REQUIRED_ROLES=$(DEMO_2FA_ROLES) $(GR) runserver $(HOST) --noreload

# Production (docs/operations.md, "Production deployment"): the settings and secrets come from the environment
# (GRASSROOTS_ALLOWED_HOSTS, GRASSROOTS_SECRET_KEY, ... or $(DATA_DIR)/secrets.env), gunicorn serves.
PROD := DJANGO_SETTINGS_MODULE=grassroots.settings.production
serve-prod: venv assets
	$(PROD) $(GR) collectstatic --noinput -v0
	$(PROD) $(GR) migrate --noinput
	$(PROD) $(VENV)/bin/gunicorn -c python:grassroots.gunicorn_conf

# Backups that a restore verifies (docs/operations.md, "Backups and restore"). DJANGO_SETTINGS_MODULE and
# DATABASE_URL are read from the environment as for the server.
backup: venv
	$(GR) backup $(if $(BACKUP_DIR),--to $(BACKUP_DIR))

restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup directory> [RESTORE_ARGS=--force]"; exit 2; }
	$(GR) restore $(BACKUP) $(RESTORE_ARGS)

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
	@# The production settings pass `check --deploy` (throwaway keys, a host name, an empty data directory).
	d=$$(mktemp -d) && env -u DATABASE_URL DJANGO_SETTINGS_MODULE=grassroots.settings.production GRASSROOTS_DATA_DIR=$$d \
	  GRASSROOTS_ALLOWED_HOSTS=check.invalid GRASSROOTS_SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	  GRASSROOTS_ID_KEY=$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	  GRASSROOTS_AUDIT_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(32))") \
	  $(PY) manage.py check --deploy --fail-level WARNING; rc=$$?; rmdir $$d; exit $$rc

# The suite on SQLite, then on PostgreSQL when DATABASE_URL is set; 100% coverage of every rules.py.
pytest: venv assets chromium
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 --cov --cov-report= $(PYTEST_ARGS)
	$(VENV)/bin/coverage report --include='grassroots/*/rules.py,grassroots/*/rules/*.py,grassroots/core/id_number.py,grassroots/core/hygiene.py,grassroots/core/dates.py,grassroots/core/workdays.py' \
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
