# Two commands for a fresh Debian machine with Python 3.11:
#   make run   - set everything up, load demo data into the default database if it is empty, open the TUI
#   make test  - set everything up, then lint, type check and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres test-dates setup system-deps lint typecheck pytest demo i18n clean

run: setup
	$(BIN)/lms init
	$(BIN)/lms demo --if-empty
	$(BIN)/lms tui

test: setup lint typecheck pytest

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

# The suite on a UTC clock (as most servers run), then the date-sensitive tests (marker `dates`) again on China's,
# where "today" in the machine's zone and in the working zone agree: a date taken from the wrong one fails in a run.
pytest:
	TZ=UTC $(BIN)/pytest
	$(MAKE) --no-print-directory test-dates

test-dates:
	TZ=Asia/Shanghai $(BIN)/pytest -m dates

# The same suite against a PostgreSQL server on 127.0.0.1 (installed and started when run as root).
test-postgres: setup
	bash scripts/test-postgres.sh

# Extract messages, merge them into the Chinese catalog and compile it (needs Babel, in the test extra).
i18n:
	$(BIN)/pybabel extract --no-location --sort-output -k _ -o lms/locale/lms.pot lms courses scheduler_tui certificates webapp
	$(BIN)/pybabel update --ignore-pot-creation-date --no-fuzzy-matching -i lms/locale/lms.pot -d lms/locale -D lms -l zh_CN
	$(BIN)/pybabel compile -d lms/locale -D lms

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
