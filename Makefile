# Set-up, run, test and benchmark ecosim. Every target builds the virtual environment first,
# with the first Python >= 3.12 that scripts/find_python.sh finds.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCENARIO ?= scenarios/san_diego.yaml
OUT ?= runs/$(basename $(notdir $(SCENARIO)))

.PHONY: run test lint bench setup clean

$(STAMP): pyproject.toml
	@python=$$(scripts/find_python.sh) || exit 1; \
	  [ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ecosim run $(SCENARIO) --out $(OUT)

test: $(STAMP)
	$(VENV)/bin/ruff check src tests experiments benchmarks
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
