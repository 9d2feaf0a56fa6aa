# ilms developer tasks. `make venv`, `make run`, `make test`, `make bench`, `make lock`, `make node`, `make messages`, `make clean`.
SHELL := /bin/bash

# Python used to create the venv: python3.11 if present, else python3 (checked to be >= 3.11).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make bench`: the global-scale benchmark (docs/benchmarks.md); SCALE=1.0 only on a quiet machine
SCALE ?= 0.01
BACKENDS ?= sqlite,postgresql
BENCH_JSON ?= /tmp/ilms-bench-global-$(SCALE).json

.DEFAULT_GOAL := venv
.PHONY: venv lock run test bench clean node messages

venv: $(STAMP)

# Rebuilt only when the lock or pyproject.toml change. A venv that cannot run pip is recreated.
$(STAMP): requirements/lock.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: python3.11 or python3 (>= 3.11) is required" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: ilms needs Python >= 3.11, $(PYTHON) is " + sys.version.split()[0])'
	@$(VENV)/bin/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install -r requirements/lock.txt
	$(VENV)/bin/python -m pip install --no-deps -e .
	@touch $@

# uv is used only here, to regenerate the lock; installing never needs it.
lock:
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra bench -o requirements/lock.txt --python-version 3.11

run: venv
	$(VENV)/bin/ilms db upgrade
	$(VENV)/bin/ilms demo --if-empty
	$(VENV)/bin/ilms serve --host $(HOST) --port $(PORT)

# npm packages of the portal's tests and build (package.json / package-lock.json): axe-core for the
# accessibility checks, world-atlas (Natural Earth) for scripts/build_map.py. Nothing is served from them.
NODE_STAMP := node_modules/.installed
node: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is required (scripts/system-packages.sh installs it)" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# the portal's interface text: extract every _() of code and templates into the catalogue template
# and merge it into each language's messages.po (see docs/portal.md)
messages: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -o src/ilms/web/portal/locale/messages.pot --no-location --sort-output src/ilms/web/portal src/ilms/web/workflow src/ilms/store/summaries
	for dir in src/ilms/web/portal/locale/*/LC_MESSAGES; do lang=$$(basename $$(dirname $$dir)); \
	  $(VENV)/bin/pybabel update -i src/ilms/web/portal/locale/messages.pot -d src/ilms/web/portal/locale \
	    -l $$lang -D messages --no-fuzzy-matching; done

test: venv
	bash scripts/system-packages.sh
	$(MAKE) node
	$(VENV)/bin/python -m pytest -n 2 --durations=15 $(PYTEST_ARGS)

bench: venv
	$(VENV)/bin/python bench/global_scale.py --scale $(SCALE) --backend $(BACKENDS) --json $(BENCH_JSON)

clean:
	rm -rf $(VENV) node_modules
	rm -f data/ilms.sqlite*
