# Phrom — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The demo writes the e-mails it sends (reminders, receipts) as files under var/mail/ instead of
# printing them over the console, unless EMAIL_HOST or EMAIL_BACKEND says where mail should go.
ifeq ($(EMAIL_HOST),)
run: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
endif

.PHONY: run serve test check lint fmt worker bench demo clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies (re-installed when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Development dependencies on top.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The demo: migrate, load Phrae (idempotent), start a task worker and serve on $(HOST):$(PORT).
run: $(VENV)/.installed
	@mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py collectstatic --no-input -v 0
	@DEBUG=1 $(BIN)/python manage.py demo_logins --address http://$(HOST):$(PORT)/
	DEBUG=1 $(BIN)/python manage.py send_due_messages
	@case "$$EMAIL_BACKEND" in *filebased*) echo "E-mails Phrom sends are written as files under var/mail/.";; esac
	@DEBUG=1 $(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Task worker started (pid $$worker); it stops with the server."; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

# A background-task worker on its own (production runs any number of these).
worker: $(VENV)/.installed
	$(BIN)/python manage.py db_worker

test: $(VENV)/.installed-dev
	@mkdir -p var
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -n 2

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the Thai translation catalogue after changing user-facing strings, then compile it.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l th --no-obsolete --add-location file -i ".venv/*"
	$(BIN)/python manage.py compilemessages -l th -i ".venv"

bench: $(VENV)/.installed-dev
	$(BIN)/python -m pytest bench -q -p no:randomly --benchmark-only

clean:
	rm -rf $(VENV) var staticfiles
