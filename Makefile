# Upgrade Workbench. The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
INSTALLED := $(VENV)/.installed
PO := locale/zh_Hans/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_LANG ?= en
PYTEST_ARGS ?=

.PHONY: run test suite check lint format migrations-check translations-check system-packages \
        system-packages-test install setup demo messages clean bench

## run: set up everything, load the demo project into an empty database and serve on $(HOST):$(PORT)
run: system-packages setup demo
	@echo ""
	@echo "Serving Upgrade Workbench at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@exec $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the same set-up plus Chromium, then lint, migration and translation checks and the whole suite
test: system-packages-test setup check suite

## suite: the pytest suite alone (DATABASE_URL picks the database)
suite: install
	$(BIN)/pytest $(PYTEST_ARGS)

## check: ruff (lint and format), missing migrations, complete zh-hans translation
check: lint migrations-check translations-check

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

translations-check: $(MO)
	@stats=$$(msgfmt --statistics -o /dev/null $(PO) 2>&1); echo "zh-hans: $$stats"; \
	case "$$stats" in *untranslated*|*fuzzy*) echo "Translate every entry of $(PO)"; exit 1;; esac

system-packages:
	@PYTHON=$(PYTHON) bash .ci/system-packages run

system-packages-test:
	@PYTHON=$(PYTHON) bash .ci/system-packages test

## install: virtualenv with the locked packages (skipped when the lock has not changed), translations
install: $(INSTALLED) $(MO)

## setup: install, then migrate the database
setup: install
	@$(BIN)/python manage.py migrate --noinput -v0

$(INSTALLED): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	@$(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	@touch $@

$(MO): $(PO)
	msgfmt --check -o $@ $<

demo: setup
	@$(BIN)/python manage.py seed_demo --if-empty --lang $(DEMO_LANG)

## messages: collect new translatable strings into the zh-hans catalogue
messages: setup
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --no-obsolete --ignore=.venv --ignore=static --ignore=tests --ignore=staticfiles

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles $(MO)
