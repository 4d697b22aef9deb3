# govsim: `make demo` runs the main job, `make test` runs the whole test suite,
# `make dashboard` opens the browser dashboard, `make calibrate` runs the baseline's
# calibration (SPEC=calibrations/NAME.toml for another, ARGS=... for its options).
# Each target creates .venv itself with a Python >= 3.12 found by scripts/find-python.

VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev
STAMP_NB := $(VENV)/.installed-notebooks
STAMP_DASH := $(VENV)/.installed-dashboard
STAMP_TEST := $(VENV)/.installed-test
STAMP_CAL := $(VENV)/.installed-calibrate
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test bench notebooks dashboard calibrate lint venv clean

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

# the calibrate extra alone would take pyabc >= 0.12.17 and with it ipykernel >= 7.2,
# which the notebook tests exclude (see the dev extra): keep the shared .venv on ipykernel 6
$(STAMP_CAL): pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[calibrate]" "ipykernel>=6.29,<7"
	@touch $@ $(STAMP_BASE)

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

calibrate: $(STAMP_CAL)
	$(BIN)/govsim calibrate $(or $(SPEC),calibrations/baseline.toml) $(ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check govsim scenarios tests benchmarks

clean:
	rm -rf $(VENV) results .pytest_cache
