# The newcomer's commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development conveniences (throwaway secret key, embedded PostgreSQL when
# DATABASE_URL is unset) need DEBUG on; production never sets it.
DEV_ENV := DEBUG=1

# The Nu Html Checker (the W3C validator) that the tests run public pages
# through; it needs Java and comes from the npm registry as one jar.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu-$(VNU_VERSION)/vnu.jar

# axe-core, the accessibility checker the browser tests inject into pages.
AXE_VERSION := 4.14.1
AXE_JS := var/axe-core-$(AXE_VERSION)/axe.min.js

.PHONY: install run test test-slow bench loadtest lint format db-stop clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Development settings for commands run by hand (python manage.py ...).
.env:
	printf '# Development only; never deploy with DEBUG on. See README.md.\nDEBUG=1\n' > .env

install: $(STAMP) .env

run: $(STAMP) .env
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py sync_roles
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py ensure_admin
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

$(VNU_JAR):
	mkdir -p $(dir $(VNU_JAR))
	cd $(dir $(VNU_JAR)) && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null \
		&& tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar \
		&& mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz

$(AXE_JS):
	mkdir -p $(dir $(AXE_JS))
	cd $(dir $(AXE_JS)) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null \
		&& tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js \
		&& mv package/axe.min.js axe.min.js && rm -rf package axe-core-$(AXE_VERSION).tgz

test: $(STAMP) .env $(VNU_JAR) $(AXE_JS)
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) VNU_JAR=$(VNU_JAR) AXE_JS=$(AXE_JS) $(BIN)/python -m pytest

# The slow tests (a few minutes): `make loadtest` twice over, without and
# with a database restart (docs/load-test.md), and every XSS payload
# alone on the public article page.
test-slow: $(STAMP) .env
	$(DEV_ENV) $(BIN)/python -m pytest -m slow

# 50 connections for 60 s while an editor saves; ARGS=--restart-db stops
# PostgreSQL in the middle. Needs wrk (Debian: apt-get install wrk).
loadtest: $(STAMP) .env
	$(BIN)/python -m bench.loadtest $(ARGS)

# The benchmark (docs/performance.md): 100,000 articles by default;
# `make bench ARGS=--quick` for 5,000. Needs wrk (Debian: apt-get install wrk).
bench: $(STAMP) .env
	$(BIN)/python -m bench.run $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The embedded server keeps running between commands so they start fast.
db-stop: $(STAMP)
	$(BIN)/python -m portal.database

clean: db-stop
	rm -rf var staticfiles
