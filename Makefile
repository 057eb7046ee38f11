# Cầu Nối — two commands: `make run` and `make test`. Everything else is set up on the way.
#   make run                      install, back up, migrate, load the demo commune, start the stack
#   make run PORT=8123 HOST=0.0.0.0
#   DATABASE_URL=sqlite:////srv/caunoi/db.sqlite3 make run
#   make test                     install, lint, types, then pytest on SQLite and on PostgreSQL
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test install lint types

# The stamp is rebuilt whenever requirements.txt changes; a missing venv is created first.
$(VENV)/.installed: requirements.txt
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); \
		$(PY) -m pip install --quiet --upgrade pip; }
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Types of the services, selectors, permission rules and tasks ([tool.mypy] in pyproject.toml).
types: install
	$(VENV)/bin/mypy

run: install
	$(PY) manage.py backup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_schedules
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runstack --host $(HOST) --port $(PORT)

test: install lint types
	$(PY) -m tests.legs
