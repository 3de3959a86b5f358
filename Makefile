# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install setup run test lint format messages clean

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
	$(MANAGE) create_demo_editor --url http://$(HOST):$(PORT)/en/admin/
ifeq ($(filter 1 true yes on,$(DEBUG)),)
	@echo "Serving the site as readers see it (DEBUG off) at http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --config portal/gunicorn.conf.py --bind $(HOST):$(PORT) portal.wsgi
else
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)
endif

test: $(INSTALLED) .secret_key
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the catalogs after changing strings (needs GNU gettext).
messages: $(INSTALLED)
	for code in ru kk kk_Latn zh_Hans kk_Arab uz en; do \
	  $(MANAGE) makemessages --locale $$code --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete; \
	done

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
