# sdkgen: the two commands a newcomer runs are `make generate` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sdkgen-installed
GENERATED_PACKAGES = $(wildcard generated/*/__init__.py)

# Stoplight Prism serves specs/ for the client's contract tests (npm, into a cache folder).
PRISM_VERSION := 5.14.2
PRISM_DIR := .cache/prism
PRISM_STAMP := $(PRISM_DIR)/.installed-$(PRISM_VERSION)

.PHONY: help install generate check lint-spec test lint typecheck pytest corpus prism fuzz bench bench-validators fuzz-validators clean

help:
	@echo "make generate   set up $(VENV) if needed, regenerate generated/ from specs/ (no-op when current)"
	@echo "make test       the whole suite: lint, types, tests, golden check"
	@echo "make lint       ruff check + ruff format --check on the generator, tests and generated code"
	@echo "make corpus     every spec of the real-API corpus (tests/data/corpus/): generates, imports, mypy --strict"
	@echo "make fuzz       long fuzzing of specs and of killed/concurrent runs (make test runs a smoke)"
	@echo "make bench      benchmarks against peer tools (installs the bench extra)"
	@echo "make clean      remove the virtualenv and caches"

# The virtualenv is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(BIN)/sdkgen generate

check: $(STAMP)
	$(BIN)/sdkgen check

lint-spec: $(STAMP)
	$(BIN)/sdkgen lint $(SPEC)

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks generated
	$(BIN)/ruff format --check generator tests benchmarks generated

typecheck: $(STAMP)
	$(BIN)/mypy generator
	cd generated && ../$(BIN)/mypy --strict --cache-dir ../.mypy_cache/generated $(patsubst generated/%/__init__.py,-p %,$(GENERATED_PACKAGES))

# Without npm the stamp is not made and the Prism tests skip, saying why.
$(PRISM_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(PRISM_DIR) @stoplight/prism-cli@$(PRISM_VERSION) && touch $@; \
	else \
		echo "npm not found: the Prism contract tests (tests/test_client_prism.py) will be skipped"; \
	fi

prism: $(PRISM_STAMP)

pytest: $(STAMP) prism
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# The whole real-spec corpus; `make test` runs only the entries tests/corpus.py marks fast.
corpus: $(STAMP)
	SDKGEN_CORPUS=all $(BIN)/python -m pytest -q tests/test_corpus.py

# The long run of what `make test` smoke-tests: spec fuzzing and kill-at-random-moments.
fuzz: $(STAMP)
	SDKGEN_FUZZ_EXAMPLES=$${SDKGEN_FUZZ_EXAMPLES:-400} SDKGEN_KILL_RUNS=$${SDKGEN_KILL_RUNS:-40} \
		$(BIN)/python -m pytest -q -s tests/test_fuzz.py tests/test_filesystem.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py

# Only the validators benchmark (make bench runs it too, with the others).
bench-validators: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_validators.py

# The long differential run of the validators against jsonschema (SDKGEN_FUZZ=<examples>).
fuzz-validators: $(STAMP)
	SDKGEN_FUZZ=$${SDKGEN_FUZZ:-3000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/emit/validators/test_differential.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
