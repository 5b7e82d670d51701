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

# The development environment is locked (requirements/*.lock, made by uv with hashes); the
# ranges in pyproject.toml are what users of the generator may install.
DEV_LOCK := requirements/dev.lock
BENCH_LOCK := requirements/bench.lock
BENCH_STAMP := $(VENV)/.sdkgen-bench-installed
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml requirements/tools.in --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet

.PHONY: help install generate check lint-spec diff test lint typecheck pytest corpus prism fuzz bench bench-validators \
	fuzz-validators lock upgrade clean

help:
	@echo "make generate          set up $(VENV) from $(DEV_LOCK) if needed, regenerate generated/ from specs/ (no-op when current)"
	@echo "make test              the whole suite: lint, types, tests, golden check (what CI runs)"
	@echo "make install           only set up $(VENV) from $(DEV_LOCK)"
	@echo "make check             exit 1 with a diff when generated/ is not what specs/ generate"
	@echo "make lint-spec SPEC=F  validate one spec (every finding, nothing written)"
	@echo "make diff BASE=REV     what the specs' changes since REV break (sdkgen diff --base; default origin/main)"
	@echo "make lint              ruff check + ruff format --check on the generator, tests and generated code"
	@echo "make typecheck         mypy on the generator, mypy --strict on the generated packages"
	@echo "make pytest            only the pytest suite"
	@echo "make prism             install Stoplight Prism (npm) for the client contract tests"
	@echo "make corpus            every spec of the real-API corpus (tests/data/corpus/): generates, imports, mypy --strict"
	@echo "make fuzz              long fuzzing of specs and of killed/concurrent runs (make test runs a smoke)"
	@echo "make fuzz-validators   long differential run of the validators against jsonschema"
	@echo "make bench             benchmarks against peer tools (installs $(BENCH_LOCK))"
	@echo "make bench-validators  only the validators benchmark"
	@echo "make lock              re-resolve the lock files after a change to pyproject.toml (keeps current pins)"
	@echo "make upgrade           re-resolve to the newest allowed versions, reinstall, regenerate generated/"
	@echo "make clean             remove the virtualenv and caches"
	@echo "make help              this list"

# The virtualenv is made anew whenever the lock changes, so it holds exactly what the lock says.
$(STAMP): $(DEV_LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(BENCH_STAMP): $(STAMP) $(BENCH_LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(BENCH_LOCK)
	@touch $(BENCH_STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(BIN)/sdkgen generate

check: $(STAMP)
	$(BIN)/sdkgen check

lint-spec: $(STAMP)
	@if [ -z "$(SPEC)" ]; then echo "usage: make lint-spec SPEC=specs/<name>.yaml  (or: $(BIN)/sdkgen lint FILE ...)" >&2; exit 2; fi
	$(BIN)/sdkgen lint $(SPEC)

# What the changes to specs/ since BASE break, for the API's clients and the SDK's users.
BASE ?= origin/main
diff: $(STAMP)
	$(BIN)/sdkgen diff --base $(BASE)

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

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

# Only the validators benchmark (make bench runs it too, with the others).
bench-validators: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_validators.py

# The long differential run of the validators against jsonschema (SDKGEN_FUZZ=<examples>).
fuzz-validators: $(STAMP)
	SDKGEN_FUZZ=$${SDKGEN_FUZZ:-3000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/emit/validators/test_differential.py

# Both locks come from one resolution (the bench lock first; the dev lock is its subset), so a
# package shared by the two has one version. uv is itself in the lock (requirements/tools.in).
# A lock that comes out unchanged keeps its time, so the virtualenv is not rebuilt for nothing.
lock: $(STAMP)
	@cp -p $(BENCH_LOCK) $(BENCH_LOCK).before && cp -p $(DEV_LOCK) $(DEV_LOCK).before
	$(UV_COMPILE) --extra dev --extra bench -o $(BENCH_LOCK)
	$(UV_COMPILE) --extra dev -c $(BENCH_LOCK) -o $(DEV_LOCK)
	@for lock in $(BENCH_LOCK) $(DEV_LOCK); do \
		if cmp -s $$lock $$lock.before; then touch -r $$lock.before $$lock; fi; rm -f $$lock.before; done

# A dependency bump is one reviewed commit: the new locks and what they regenerate.
upgrade: $(STAMP)
	$(UV_COMPILE) --upgrade --extra dev --extra bench -o $(BENCH_LOCK)
	$(UV_COMPILE) --upgrade --extra dev -c $(BENCH_LOCK) -o $(DEV_LOCK)
	$(MAKE) generate

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
