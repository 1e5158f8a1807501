# Every target makes its own virtual environment first, so each works on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: serve test lint check clean

# Serving needs the package alone; the test and lint tools come with `make test`/`make lint`.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

serve: $(BIN)/.installed  ## run fakeauth with the bundled users on 127.0.0.1:3001
	$(BIN)/fakeauth serve $(ARGS)

test: $(BIN)/.installed-dev  ## run the test suite, with coverage
	$(BIN)/python -m pytest --cov --cov-report=term $(ARGS)

lint: $(BIN)/.installed-dev  ## ruff and mypy, as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: lint test

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
