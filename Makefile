# One door for every task. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint typecheck check bench docs postgres clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "synthwatch needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/synthwatch demo

postgres:
	@bash scripts/ensure-postgres.sh

test: install postgres
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow and not postgres and not browser"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy src

check: lint typecheck test

bench: install postgres
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_chem_similarity.py
	$(BIN)/python benchmarks/bench_chem.py
	$(BIN)/python benchmarks/eval_nflis_names.py
	$(BIN)/python benchmarks/eval_chem_labelled.py

docs: install
	$(BIN)/python -m pytest tests/e2e/test_interfaces.py -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
