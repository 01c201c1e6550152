# Every target creates or reuses .venv and installs what it needs; the stamp reinstalls when pyproject changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check test lint typecheck fmt bench bench-scale corpus prism fuzz sdk-tests

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
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/black --check generator tests benchmarks templates/sdk/static
	$(BIN)/ruff check --config generated/pyproject.toml generated/src generated/tests

typecheck: $(STAMP)
	$(BIN)/mypy
	cd generated && MYPYPATH=src ../$(BIN)/mypy --strict --cache-dir ../.mypy_cache/generated src/codat_accounting tests

fmt: $(STAMP)
	$(BIN)/black generator tests
	$(BIN)/ruff check --fix generator tests

# Stoplight Prism for the contract suite (tests/prism) and pyright for the docs' examples
# (tests/golden/test_examples.py), pinned by tests/prism/package-lock.json, into an ignored folder;
# without node both are skipped and say why.
prism:
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then \
		test -x tests/prism/node_modules/.bin/prism -a -x tests/prism/node_modules/.bin/pyright \
			|| npm ci --prefix tests/prism --no-audit --no-fund --loglevel=error; \
	else echo "node and npm not found: the Prism contract suite and the pyright check of the examples will be skipped"; fi

test: $(STAMP) lint typecheck prism
	$(BIN)/python -m pytest

# The generated packages' own tests (tests/ in each): generated/ and every document of Codat's family,
# all tags, offline (make test runs generated/ and a sample of three documents).
sdk-tests: $(STAMP)
	SDK_TESTS=all $(BIN)/python -m pytest -q tests/golden/test_sdk_tests.py

# Figures against the peers, each in its own virtualenv under benchmarks/.venvs (several minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Only figure 8, the scale rows: 100, 1,000 and 10,000 operations and Microsoft Graph (about an hour).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/run.py --only-scale

# Our generator and openapi-python-client over the APIs.guru corpus (benchmarks/corpus/README.md);
# the default sample of 200 documents takes about 12 minutes.
# CORPUS_ARGS: e.g. --sample 50, --all --no-typing, --only stripe.com, --resume, --prism --sample 30.
corpus: $(STAMP)
	$(BIN)/python benchmarks/corpus/run.py $(CORPUS_ARGS)

# The hostile-document fuzz of tests/hostile/test_fuzz.py, longer than make test's 25 documents
# (FUZZ_EXAMPLES=2000 by default: about an hour here).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/hostile/test_fuzz.py
