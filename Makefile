# 示范村展示门户 — the commands a newcomer needs.
#   make serve   build and serve the sample site on http://127.0.0.1:8000
#   make test    run the whole test suite
#   make lint    ruff check, ruff format --check, mypy
#   make lock    regenerate requirements/*.lock (pip-tools, with hashes)
#   make check   validate the content (editors run this)
#   make build   write site/ (atomically)
#   make build-zensical  the same with Zensical (Material for MkDocs' successor)
#   make bench   run the benchmarks and write BENCHMARKS.md
#   make screenshots  build, then PNGs of home, a village, a list, compare and news at 1366 and 375 px (screenshots/)

PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: all venv serve build build-zensical check test lint format hooks bench schema clean lock system-deps npm-deps screenshots

all: build

# requirements/test.lock is complete (runtime + test + lint tools); every
# package is pinned with its hashes, so pip refuses anything else.
$(STAMP): pyproject.toml requirements/test.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements/test.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

venv: $(STAMP)

# npm packages the outside validators need (vnu-jar, axe-core), pinned in
# package-lock.json. --ignore-scripts: vnu-jar's postinstall would try to
# download a Java runtime; Debian's JRE comes from scripts/setup-system.sh.
NPM_STAMP := node_modules/.installed
$(NPM_STAMP): package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

npm-deps: $(NPM_STAMP)

# System packages (Chromium, CJK fonts, Java) the browser tests and PDF checks need.
system-deps:
	bash scripts/setup-system.sh

# Preview: one full build, then only the pages a change affects (builder/preview).
serve: $(STAMP)
	$(BIN)/python -m builder serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/python -m builder build

# The same site built by Zensical instead of MkDocs + Material (docs/editors/platform.md).
build-zensical: $(STAMP)
	$(BIN)/python -m builder build --engine zensical

# PNGs of home, a village page, a list and the comparison page at 1366×800
# and 375×740 into screenshots/ (git-ignored), for people to look at.
screenshots: build system-deps
	$(BIN)/python scripts/screenshots.py --site site --out screenshots

check: $(STAMP)
	$(BIN)/python -m builder check

schema: $(STAMP)
	$(BIN)/python -m builder schema

test: $(STAMP) lint system-deps $(NPM_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# All three run even when one fails; the target fails if any did.
lint: $(STAMP)
	@rc=0; \
	echo "ruff check"; $(BIN)/ruff check . || rc=1; \
	echo "ruff format --check"; $(BIN)/ruff format --check . || rc=1; \
	echo "mypy"; $(BIN)/mypy || rc=1; \
	exit $$rc

# Rewrite the code: safe ruff fixes, then the formatter.
format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The git pre-commit hook (.pre-commit-config.yaml: local hooks, venv tools).
hooks: $(STAMP)
	$(BIN)/pre-commit install

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

# Locks from pyproject.toml: requirements/runtime.lock (dependencies) and
# requirements/test.lock (dependencies + the test extra, constrained to the
# runtime pins, so both agree). pip-compile keeps the versions already in the
# locks unless pyproject.toml needs others; to move to newer releases:
#   make lock LOCK_ARGS=--upgrade                   (everything)
#   make lock LOCK_ARGS='--upgrade-package mypy'    (one package)
# Run it where `make venv` runs: hashes are those of the files pip gets here.
PIP_TOOLS  := pip-tools==7.6.2
LOCK_PIP   := pip==26.3
LOCK_VENV  := .lock-venv
LOCK_ARGS  ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile -q \
	--generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

lock:
	rm -rf $(LOCK_VENV) && $(PY) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q $(LOCK_PIP) $(PIP_TOOLS)
	$(PIP_COMPILE) --output-file requirements/runtime.lock pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/runtime.lock \
		--output-file requirements/test.lock pyproject.toml
	rm -rf $(LOCK_VENV)

clean:
	rm -rf site .site-tmp-* .site-old-* .cache .pytest_cache .mypy_cache .ruff_cache
