# Canary: `make run` serves the site, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run dev setup test lint format

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_newsletters
	$(BIN)/python manage.py seed_appeals
	$(BIN)/python manage.py seed_supporters
	$(BIN)/python manage.py seed_readership
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_accounts

# gunicorn and one background worker (canary/devserver.py); Ctrl-C or SIGTERM stops both. Readers
# get the designed error pages (DEBUG_ERROR_PAGES=0); `make dev` keeps Django's debug pages.
run: setup
	@echo "Canary on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	@DEBUG_ERROR_PAGES=0 exec $(BIN)/python -m canary.devserver

dev: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Performance (README, "Performance"): load figures as ratios to Django's smallest view, and
# Lighthouse scores. Both install what they lack (wrk, nginx, lighthouse) and stop by themselves.
.PHONY: bench audit plans profile instructions

# The newsletter step's SMTP sink is aiosmtpd, from the test extra.
bench: $(VENV)/.test
	$(BIN)/python -m bench.run

audit: $(VENV)/.runtime
	$(BIN)/python -m bench.audit

# CPU per uncached request, in-process, page by page (PAGE=/path/, TOP=20 for a profile).
profile: $(VENV)/.runtime
	$(BIN)/python -m bench.profile

# Instructions per uncached request (valgrind): steady on a busy machine, for before and after.
instructions: $(VENV)/.runtime
	$(BIN)/python -m bench.instructions

# Query plans of the home, article and tag pages on PostgreSQL with N=100000 articles.
plans: $(VENV)/.runtime
	$(BIN)/python -m bench.plans

# Backups and the fault-injecting load test (README, "Security"). make backup writes
# var/backups/<UTC time>/; make restore BACKUP=var/backups/<stamp> brings one back into an empty
# database (FORCE=1 to replace one that has articles). make loadtest runs ~60 s (DURATION=…).
# make cluster (docs/production.md, "Rehearsal"): nginx, two app servers, two workers, Redis,
# SeaweedFS and an SMTP sink on loopback; one app server and one worker killed under load, and
# nothing acknowledged may be lost. ~60 s of load (DURATION=…); weed and aiosmtpd come with the
# test extra, nginx and redis-server from apt.
.PHONY: backup restore loadtest cluster

backup: $(VENV)/.runtime
	$(BIN)/python manage.py backup

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/<stamp> [FORCE=1]" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" $(if $(filter 1,$(FORCE)),--force)

loadtest: $(VENV)/.runtime
	$(BIN)/python loadtest/run.py $(if $(DURATION),--duration $(DURATION))

cluster: $(VENV)/.test
	$(BIN)/python loadtest/cluster.py $(if $(DURATION),--duration $(DURATION))
