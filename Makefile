# lindy developer commands. Both `make run` and `make test` work on a fresh machine:
# they create .venv when missing and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-all lint report clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# the main job needs only the core (no torch)
$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(PIP) install -q -e .
	@touch $@

# tests: everything, with torch pinned to the CPU build these machines carry
$(TEST_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e ".[all,dev]"
	@touch $@ $(RUN_STAMP)

## the quick benchmark: results.sqlite and report/index.html
run: $(RUN_STAMP)
	$(BIN)/lindy bench run --suite quick --store results.sqlite --jobs 2
	$(BIN)/lindy bench report --store results.sqlite --out report

## headless Chromium for the HTML report test (Debian package; installed when missing)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the report test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## fast tests (and doctests); slow checks are excluded
test: $(TEST_STAMP) browser
	LINDY_REQUIRE_TORCH=1 $(BIN)/python -m pytest -m "not slow" -q

## every test, slow ones included
test-all: $(TEST_STAMP) browser
	LINDY_REQUIRE_TORCH=1 $(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks examples

clean:
	rm -rf results.sqlite* report .pytest_cache
