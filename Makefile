# 示范村展示门户 — the commands a newcomer needs.
#   make serve   build and serve the sample site on http://127.0.0.1:8000
#   make test    run the whole test suite
#   make check   validate the content (editors run this)
#   make build   write site/ (atomically)
#   make bench   run the benchmarks and write BENCHMARKS.md

PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: all venv serve build check test bench schema clean lock system-deps npm-deps

all: build

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
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

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/python -m builder build

check: $(STAMP)
	$(BIN)/python -m builder check

schema: $(STAMP)
	$(BIN)/python -m builder schema

test: $(STAMP) system-deps $(NPM_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

lock:
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/pip install -q -e '.[test]'
	.lock-venv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site .site-tmp-* .site-old-* .cache .pytest_cache
