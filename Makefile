# Symbl Admin: `make run` serves the dashboard, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make api`: the standalone Management API. Empty API_DATA: SYMBL_LOCAL_API_DATA's default.
API_PORT ?= 8001
API_DATA ?=
# Two workers: the machines have 2 cores. `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2

.PHONY: run dev api verify-audit reconcile-audit backup restore test soak lint format bench install install-dev clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	@$(BIN)/python scripts/run.py --port $(PORT)

dev: install-dev
	@$(BIN)/python scripts/run.py --dev --port $(PORT)

api: install
	$(BIN)/python manage.py run_management_api --port $(API_PORT) $(if $(API_DATA),--data $(API_DATA))

verify-audit: install
	$(BIN)/python manage.py verify_audit

reconcile-audit: install
	$(BIN)/python manage.py reconcile_audit

# `make backup`: into var/backups/<UTC time>/, or BACKUP_DIR. `make restore` needs BACKUP_DIR;
# it asks first; FORCE=1 replaces data that is there (backing it up first).
BACKUP_DIR ?=
FORCE ?=
backup: install
	$(BIN)/python manage.py backup $(BACKUP_DIR)

restore: install
	$(if $(BACKUP_DIR),,$(error make restore needs BACKUP_DIR=the backup's folder))
	@# A fresh checkout gets its key as `make run` would (the backup holds none).
	@$(if $(DJANGO_SECRET_KEY),,$(BIN)/python -c 'import os, pathlib, symbl_admin.secret_key as k; \
	d = pathlib.Path(os.environ.get("SYMBL_VAR_DIR", "var")); d.mkdir(parents=True, exist_ok=True); \
	k.generate_key_file(d / k.KEY_FILE)')
	$(BIN)/python manage.py restore $(BACKUP_DIR) $(if $(FORCE),--force)

test: install-dev
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m pytest $(PYTEST_ARGS)

# The fault soak at full size (tests/soak; `make test` runs it at 200). SOAK_OPS=500 make soak.
SOAK_OPS ?= 2000
soak: install-dev
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m tests.soak --ops $(SOAK_OPS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	LOG_LEVEL=WARNING $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
