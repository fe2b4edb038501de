# The two commands of the README: `make demo` and `make test`. Both set up the
# virtual environment first (python3 + the package index, nothing else).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.copydesk-installed

.PHONY: setup demo test lint typecheck pytest docs bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,docs,serve,dask,report,corpus]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/copydesk analyze examples/articles/port-strike.txt

lint: setup
	$(BIN)/ruff check framework plugins tests benchmarks examples docs/_hooks
	$(BIN)/ruff format --check framework plugins tests benchmarks examples docs/_hooks

# The packages, a plugin written as the tutorial shows (against the public types),
# and the benchmark scripts, whose numbers the docs quote.
typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy tests/typing/typed_plugin.py
	$(BIN)/mypy benchmarks

pytest: setup
	$(BIN)/python -m pytest

# The site is built strictly: a broken link, a missing page or include fails.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: lint typecheck pytest docs

bench: setup
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
