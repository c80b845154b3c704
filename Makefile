# Self-documenting: `make help` lists the targets.
PYTHON ?= python3
BENCH_ARGS ?=
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test lint bench bench-webhooks bench-ui bench-rate-limits bench-imports clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

run: $(VENV)/.installed-run  ## Set up and start the service on SQLite (./counterparty.db) at http://127.0.0.1:8000
	$(BIN)/counterparty db upgrade
	@echo "Web interface: http://$${COUNTERPARTY_HOST:-127.0.0.1}:$${COUNTERPARTY_PORT:-8000}/app/ (first user: $(BIN)/counterparty users create default you@example.com --role admin)"
	COUNTERPARTY_INSECURE_COOKIES=$${COUNTERPARTY_INSECURE_COOKIES:-true} $(BIN)/counterparty serve --no-migrate

test: $(VENV)/.installed-dev  ## Set up and run lint, type checks and the whole test suite (SQLite; PostgreSQL when reachable)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto

bench: $(VENV)/.installed-dev  ## Load 1,000,000 contacts through the batch endpoint and measure every target against its baseline (BENCH_ARGS="--quick", "--postgres")
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || \
		(echo "wrk is needed: install it with your package manager" && exit 1)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-imports: $(VENV)/.installed-dev  ## Import 100,000 generated contacts from CSV, again (all unchanged), and export them
	$(BIN)/python -m bench.imports

bench-webhooks: $(VENV)/.installed-dev  ## PATCH with and without a webhook endpoint, and delivery from a 100,000-event backlog
	$(BIN)/python -m bench.webhooks

bench-ui: $(VENV)/.installed-dev  ## The web interface's list page with a search, on the database make bench loaded
	$(BIN)/python -m bench.ui_list

bench-rate-limits: $(VENV)/.installed-dev  ## CPU per request of the rate limit (count and headers); RATE_LIMIT_URL=redis://… adds Redis
	$(BIN)/python -m bench.rate_limits $(if $(RATE_LIMIT_URL),--redis $(RATE_LIMIT_URL))

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run
