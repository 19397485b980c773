# Everything a fresh clone needs: `make run` talks to the skill in the terminal,
# `make serve` runs it as a local web service, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 3000

.PHONY: run serve test bench models lambda-zip skill-package hosted generated build-SkillFunction clean

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

# Lint, types and the SAM template first (seconds), so a new finding fails CI before the tests run.
test: $(BIN)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/cfn-lint lambda/template.yaml
	$(BIN)/python -m pytest

lambda-zip: $(BIN)/.installed
	$(BIN)/python tools/lambda_zip.py --output dist/lambda.zip

# `sam build` runs this (lambda/template.yaml: BuildMethod makefile) with ARTIFACTS_DIR set:
# the package is built from the sources every time, never passed through stale or missing.
build-SkillFunction: $(BIN)/.installed
	$(BIN)/python tools/lambda_zip.py --directory "$(ARTIFACTS_DIR)"

# The skill package in the ASK CLI layout, committed (a fresh clone deploys as it is).
skill-package: $(BIN)/.installed
	$(BIN)/python tools/skill_package.py --output skill-package

# The Alexa-hosted layout, committed: lambda/hosted/ (a copy of skill/) and
# lambda/requirements.txt (resolving it needs PyPI). Never edit either by hand.
hosted: $(BIN)/.installed
	$(BIN)/python tools/hosted.py

# Every generated file, in the order they depend on each other.
generated: models skill-package hosted

# Expands interaction_models/grammar/ into interaction_models/<locale>.json (never edit those by hand).
models:
	$(PYTHON) tools/grammar.py

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules dist .aws-sam .pytest_cache
