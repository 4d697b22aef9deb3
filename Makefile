# govsim: `make demo` runs the main job, `make test` runs the whole test suite,
# `make dashboard` opens the browser dashboard.
# Each target creates .venv itself with a Python >= 3.12 found by scripts/find-python.

VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev
STAMP_NB := $(VENV)/.installed-notebooks
STAMP_DASH := $(VENV)/.installed-dashboard
STAMP_TEST := $(VENV)/.installed-test
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test bench notebooks dashboard lint venv clean

$(BIN)/python:
	@PY=$$(scripts/find-python) || exit 1; \
	echo "creating $(VENV) with $$PY"; \
	"$$PY" -m venv $(VENV)

$(STAMP_BASE): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev]"
	@touch $@ $(STAMP_BASE)

$(STAMP_NB): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev,notebooks]"
	@touch $@ $(STAMP_DEV) $(STAMP_BASE)

$(STAMP_DASH): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dashboard]"
	-$(BIN)/python -m govsim.dashboard.assets
	@touch $@ $(STAMP_BASE)

# the tests include the dashboard's, so the test environment has both extras
$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[dev,dashboard]"
	-$(BIN)/python -m govsim.dashboard.assets
	@touch $@ $(STAMP_DASH) $(STAMP_DEV) $(STAMP_BASE)

venv: $(STAMP_DEV)

demo: $(STAMP_BASE)
	$(BIN)/python -m govsim.demo

test: $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/readme_table.py

notebooks: $(STAMP_NB)
	$(BIN)/jupyter lab notebooks/

dashboard: $(STAMP_DASH)
	$(BIN)/govsim dashboard $(ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check govsim scenarios tests benchmarks

clean:
	rm -rf $(VENV) results .pytest_cache
