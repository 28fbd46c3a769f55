# caseboard: `make run` serves the sample practice, `make test` lints and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= caseboard.duckdb

.PHONY: install sample-db run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(DB): $(STAMP) $(wildcard sample_data/*)
	$(BIN)/caseboard ingest sample_data --db $(DB) --practice sample
	touch $(DB)

sample-db: $(DB)

run: $(DB)
	$(BIN)/caseboard serve --db $(DB)

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint sql

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DB) $(DB).lock artifacts .pytest_cache
