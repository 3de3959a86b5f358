# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run test lint format messages clean bench mutate

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

# Generated once, never committed: the site refuses to start without a real key.
.secret_key: | $(INSTALLED)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

setup: $(INSTALLED) .secret_key
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0

run: setup
	$(MANAGE) load_demo
	$(MANAGE) load_demo_multimedia
	$(MANAGE) load_demo_live
	$(MANAGE) create_demo_editor --url http://$(HOST):$(PORT)/en/admin/
ifeq ($(filter 1 true yes on,$(DEBUG)),)
	@echo "Serving the site as readers see it (DEBUG off) at http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --config portal/gunicorn.conf.py --bind $(HOST):$(PORT) portal.wsgi
else
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)
endif

# The HTML validity test runs vnu-jar (pinned in package.json, run on Java 17+).
# Its install script would download a Java runtime, hence --ignore-scripts. Without
# npm the test skips (CI has npm and sets REQUIRE_BROWSER=1, so there it cannot skip).
NODE_INSTALLED := node_modules/.package-lock.json
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

test: $(INSTALLED) .secret_key $(NODE_INSTALLED)
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/pytest

# The production profile under load (see docs/benchmark.md): PostgreSQL, Redis,
# gunicorn and wrk; BENCH_ARTICLES articles are generated first if missing.
# BENCH_ARGS passes options on, e.g. BENCH_ARGS="--rounds 1 --only pages".
BENCH_DB_NAME ?= portal_bench
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB_NAME)
BENCH_REDIS ?= redis://127.0.0.1:6379/3
BENCH_ARTICLES ?= 1000000
bench: export DATABASE_URL = $(BENCH_DB)
bench: $(INSTALLED) .secret_key
	command -v wrk >/dev/null || apt-get install -y wrk
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB_NAME) 2>/dev/null || true
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) load_demo
	$(MANAGE) generate_articles --up-to $(BENCH_ARTICLES) --seed 1 --defer-search-indexes
	$(MANAGE) create_demo_editor --url http://$(HOST):$(PORT)/en/admin/ >/dev/null
	REDIS_URL=$(BENCH_REDIS) $(MANAGE) benchmark $(BENCH_ARGS)

# Mutation testing of the caching, invalidation, view-counting and widget code
# ([tool.mutmut] in pyproject.toml; docs/testing.md, "Mutation testing"). Not part
# of `make test` or CI. mutmut stays out of the project's dependencies: it is
# installed here, once. One child at a time: mutants share the test cache files and
# the Redis database, and the machine's cores are few. Needs Redis at REDIS_TEST_URL
# for the Redis half of the cache tests (they skip without it).
MUTMUT := $(BIN)/mutmut
MUTMUT_CHILDREN ?= 1
$(MUTMUT): | $(INSTALLED)
	$(BIN)/python -m pip install --quiet 'mutmut>=3.8,<4'

mutate: $(INSTALLED) .secret_key $(MUTMUT)
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0
	rm -rf mutants
	$(MUTMUT) run --max-children $(MUTMUT_CHILDREN)
	$(MUTMUT) results
	$(BIN)/python scripts/mutation_report.py

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the catalogs after changing strings (needs GNU gettext).
messages: $(INSTALLED)
	for code in ru kk kk_Latn zh_Hans kk_Arab uz; do \
	  $(MANAGE) makemessages --locale $$code --no-obsolete \
	    --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'node_modules/*' --ignore 'locale/*'; \
	done

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 node_modules
