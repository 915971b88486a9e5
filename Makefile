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

.PHONY: run dev api verify-audit reconcile-audit backup restore test image-test soak lint format bench lock install install-dev clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The production dependencies exactly as locked (versions and hashes), then the project itself.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

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

# scripts/need.sh installs the Debian packages the tests drive when missing (as root), or
# says in one line what to install.
test: install-dev
	@scripts/need.sh test chromium postgresql
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m pytest $(PYTEST_ARGS)

# The container image, built with podman and tried in fresh containers (tests/image, ~3 min).
image-test: install-dev
	@scripts/need.sh image-test podman runc debootstrap
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m pytest -p no:xdist -m image tests/image

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
	@scripts/need.sh bench wrk
	LOG_LEVEL=WARNING $(BIN)/python -m benchmarks

# Re-resolve requirements.lock from pyproject.toml (pins and hashes; kept pins stay unless
# pyproject.toml no longer allows them). `make lock LOCK_ARGS=--upgrade` takes the newest.
LOCK_ARGS ?=
lock: install-dev
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --strip-extras \
		--no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
