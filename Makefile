# Cầu Nối — two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test install lint

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runstack --host $(HOST) --port $(PORT)

test: install lint
	$(PY) -m pytest
