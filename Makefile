# The two commands: `make run` (the portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint prodcheck install migrate demo clean

# requirements-dev.lock is requirements.lock (production, what the image installs) plus the test and lint
# tools; both are hashed, so pip installs in --require-hashes mode.
$(STAMP): requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py devserver

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, types and migrations, in that order (ruff and mypy are configured in pyproject.toml); the first
# step of `make test`.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# The production shape: collectstatic, gunicorn with production settings, login page, a static file,
# /healthz and an authenticated API call (see .ci/prodcheck).
prodcheck: $(STAMP)
	PYTHON=$(abspath $(PY)) .ci/prodcheck

migrate: $(STAMP)
	$(PY) manage.py migrate

demo: $(STAMP)
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
