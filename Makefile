# Run `make help` to see what each target does.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per CPU by default; WORKERS=0 runs in one.
# Work stealing: a worker that runs out takes tests queued for a busy one, so a
# run of slow tests (servers, browsers) does not keep one worker going alone.
WORKERS ?= auto
# Coverage and its floor (pyproject.toml); COVERAGE=0 runs the suite without it.
COVERAGE ?= 1
COV_ARGS := $(if $(filter 1,$(COVERAGE)),--cov --cov-report=term,)

.PHONY: help install system-packages run port-ok test lint format bench check clean messages

# Translations: locale/<lang>/LC_MESSAGES/django.po are committed, the .mo files
# they compile to are build output (gitignored), rebuilt when a .po changes.
LANGUAGES := fr sw
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm is missing: install Debian's nodejs and npm; the accessibility and HTML-validity tests are skipped." >&2; \
	fi

install: $(BIN)/.installed $(MO_FILES) ## Create .venv, install the site and its tools, compile translations

# gettext's msgfmt checks placeholders too; without it (only Python and pip on
# the machine) polib compiles the catalogue, so `make test` still runs.
locale/%.mo: locale/%.po | $(BIN)/.installed
	@if command -v msgfmt >/dev/null; then \
		msgfmt --check --output-file=$@ $<; \
	else \
		echo "msgfmt is missing (Debian: gettext): $< compiled with polib, unchecked." >&2; \
		$(BIN)/python deploy/compile_messages.py $< $@; \
	fi

messages: install ## Update the French and Swahili catalogues (locale/) from the code
	$(MANAGE) makemessages $(addprefix --locale=,$(LANGUAGES)) --extension=html,txt,py,mjml \
		--no-obsolete --add-location=file --ignore=.venv --ignore=node_modules \
		--ignore=tests --ignore=var --ignore='*.egg-info'
	@echo "Now translate the entries with an empty msgstr in locale/*/LC_MESSAGES/django.po;"
	@echo "tests/site_config/test_i18n_catalogues.py lists any that are left."

port-ok:
	@[[ "$(PORT)" =~ ^[0-9]+$$ ]] && (( $(PORT) >= 1 && $(PORT) <= 65535 )) || \
		{ echo "PORT must be a number from 1 to 65535, not '$(PORT)'." >&2; exit 2; }

run: export BASE_URL ?= http://127.0.0.1:$(PORT)
run: port-ok install ## Migrate, load the demo content and serve on http://127.0.0.1:$(PORT)/
	$(MANAGE) migrate --no-input --verbosity 0
	$(MANAGE) load_demo_content
	@echo "Serving on http://127.0.0.1:$(PORT)/ and the admin on http://127.0.0.1:$(PORT)/admin/ (Ctrl-C stops it); links name $(BASE_URL)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

check: install ## System checks, migrations in sync, import rules, lint and format
	$(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=site_config.settings.production SECRET_KEY=check-only-$$RANDOM$$RANDOM$$RANDOM-key-with-enough-length-to-pass-the-deploy-check \
		ALLOWED_HOSTS=example.org BASE_URL=https://example.org DATABASE_URL=sqlite:///:memory: \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run --verbosity 1
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# In CI (CI=true) a package that cannot be installed is a failure, not a skip.
system-packages: ## Install the Debian packages the tests need (as root or with sudo), or say which
	@deploy/system-packages $(if $(filter true,$(CI)),--strict,)

test: system-packages install node_modules/.installed check ## Install and run the whole suite with its quality gates
	$(BIN)/pytest -n $(WORKERS) --dist worksteal $(COV_ARGS) $(PYTEST_ARGS)

lint: install ## Report lint and format problems
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Fix what ruff can and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

BENCH_PYTEST = $(BIN)/pytest -p no:randomly --no-cov -q -s -n 0 --override-ini testpaths=tests/benchmarks

bench: install ## Time the hot paths (tests/benchmarks), write .bench/latest.json; DATABASE_URL also runs the scaling one there
	@deploy/system-packages --bench
	env -u DATABASE_URL $(BENCH_PYTEST) tests/benchmarks
	@if [ -n "$$DATABASE_URL" ]; then \
		$(BENCH_PYTEST) tests/benchmarks/test_bench_library.py -k scaling; \
	fi

clean: ## Remove the virtualenv, node_modules and generated files
	rm -rf $(VENV) node_modules var .bench *.egg-info $(MO_FILES)
