# Karigar: `make serve` builds and serves the sample site; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve build test check bench clean

$(STAMP): pyproject.toml package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# The web editor's pinned Sveltia CMS (package.json); without npm the site builds without /admin/.
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; else echo "npm not found: no web editor"; fi
	touch $(STAMP)

# A build first: the dev server renders pages on demand, and serves the search bundles it wrote.
serve: $(STAMP)
	$(BIN)/karigar build -q
	$(BIN)/karigar serve -a 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/karigar build

check: $(STAMP)
	$(BIN)/karigar check

test: $(STAMP)
	$(BIN)/ruff check --select F scripts tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python scripts/bench/bench.py --quick

clean:
	rm -rf site .karigar-cache
