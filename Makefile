# Everything a fresh clone needs: `make run` talks to the skill in the terminal,
# `make serve` runs it as a local web service, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 3000

.PHONY: run serve test bench models lambda-zip skill-package clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(BIN)/.installed
	$(BIN)/python -m skill chat

serve: $(BIN)/.installed
	$(BIN)/python -m skill serve --host $(HOST) --port $(PORT) --no-verify

# Lint and types first (seconds), so a new finding fails CI before the tests run.
test: $(BIN)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lambda-zip: $(BIN)/.installed
	$(BIN)/python tools/lambda_zip.py --output dist/lambda.zip

skill-package: $(BIN)/.installed
	$(BIN)/python tools/skill_package.py --output skill-package

# Expands interaction_models/grammar/ into interaction_models/<locale>.json (never edit those by hand).
models:
	$(PYTHON) tools/grammar.py

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules dist skill-package/skill.json skill-package/interactionModels .pytest_cache
