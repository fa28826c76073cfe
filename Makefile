# School Belonging and Attendance: the two commands are `make serve` and
# `make test`. Each sets up everything it needs on a fresh machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

VENV := .venv
PY := $(VENV)/bin/python
# Python >= 3.12 is needed (pyodide-build). `.python-version` asks pyenv for
# 3.13; otherwise the first suitable interpreter on PATH is used.
HOST_PYTHON := $(shell for p in python3 python3.13 python3.12 $$HOME/.pyenv/versions/3.13.0/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PORT ?= 8000

.PHONY: help setup serve build test bench runtime chromium clean

help:
	@echo "make serve   set up, build and serve the site at http://127.0.0.1:$(PORT)/"
	@echo "make test    set up (incl. Chromium) and run every test"
	@echo "make build   strict build into site/"
	@echo "make bench   print speed figures (engine in CPython and Pyodide)"

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -n "$(HOST_PYTHON)" || { echo "Python 3.12 or newer is needed (try: pyenv install 3.13)"; exit 1; }
	test -x $(PY) || $(HOST_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# --ignore-scripts: no package needs an install script, and vnu-jar's would
# try to download a Java runtime (Debian's is installed below instead).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

setup: $(VENV)/.installed node_modules/.installed

runtime: setup
	$(PY) scripts/build_runtime.py

build: runtime
	$(VENV)/bin/mkdocs build --strict

serve: build
	$(PY) scripts/serve.py --port $(PORT) --directory site

# Debian packages the browser tests need: Chromium itself, zbarimg to scan
# the QR codes the trainers' page draws, and Java for the Nu HTML Checker
# (npm's vnu-jar).
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium, zbar-tools and default-jre-headless for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium zbar-tools default-jre-headless; }

test: runtime chromium
	$(PY) -m pytest

bench: build chromium
	$(PY) scripts/bench.py

clean:
	rm -rf site build .pytest_cache audit_app.egg-info
