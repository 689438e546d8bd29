# Casebook — `make run` serves the app, `make test` runs every test.
# The smaller steps below are what those two are built from.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
PORT   ?= 8501

.PHONY: run test setup serve venv deps dev-deps system-deps lint format bench clean help

help:
	@echo "make run    - install, migrate, create the first admin, load demo data, serve on 127.0.0.1:$(PORT)"
	@echo "make test   - install test tools (and Chromium when root), run the whole pytest suite"
	@echo "make lint   - ruff check, format check, pyright (basic), and a vulnerability audit of the pins (pip-audit)"
	@echo "make bench  - scale benchmarks at 10k, 100k, 1M (BENCH_SIZES=10000 for a quick run; writes bench/README.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

venv: $(PY)

$(STAMP_RUN): requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(STAMP_DEV): requirements.txt requirements-dev.txt pyproject.toml | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) install --quiet --no-deps -e .
	@touch $@ $(STAMP_RUN)

deps: $(STAMP_RUN)

dev-deps: $(STAMP_DEV)

# Browser tests drive Debian's Chromium (Playwright's own download does not work here);
# fonts-nanum gives Korean glyphs in screenshots, chart images and PDFs; LibreOffice
# Writer lets the tests convert every brief to PDF (optional for users, so only when root).
system-deps:
	@if [ "$$(id -u)" = "0" ] && { ! command -v chromium >/dev/null || ! command -v soffice >/dev/null || ! fc-list 2>/dev/null | grep -qi nanum; }; then \
		echo "installing chromium, fonts-nanum and libreoffice-writer-nogui"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; \
	fi

setup: deps
	$(PY) -m casebook setup

serve:
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

run: setup serve

test: dev-deps system-deps
	$(PY) -m pytest -q -rs -n 2 --dist loadfile

# The audit fails on a known vulnerability; where its service cannot be reached it says
# "not audited" and passes (.ci/audit_deps.py).
lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pyright --pythonpath $(PY)
	$(PY) .ci/audit_deps.py

format: dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The full run (10k, 100k and 1M on SQLite and PostgreSQL) takes about an hour on two
# cores; `make bench BENCH_SIZES=10000` is a quick check.
BENCH_SIZES ?= 10000,100000,1000000
bench: dev-deps
	$(PY) -m bench.run --sizes $(BENCH_SIZES)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
