# Every target creates or reuses .venv and installs what it needs; the stamp reinstalls when pyproject changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check test lint typecheck fmt

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/codat-sdkgen generate

check: $(STAMP)
	$(BIN)/codat-sdkgen generate --check

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/black --check generator tests
	$(BIN)/ruff check --config generated/pyproject.toml generated/src

typecheck: $(STAMP)
	$(BIN)/mypy
	cd generated && ../$(BIN)/mypy --strict src/codat_accounting

fmt: $(STAMP)
	$(BIN)/black generator tests
	$(BIN)/ruff check --fix generator tests

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest
