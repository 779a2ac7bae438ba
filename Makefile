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
	$(PY) -m pip install --quiet -e '.[dev,dask,viz]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ecosim run $(SCENARIO) --out $(OUT)

test: $(STAMP)
	@[ -x /usr/bin/chromium ] || { echo "installing Debian's chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null || { echo "error: could not install chromium (apt-get)" >&2; exit 1; }; }
	$(VENV)/bin/ruff check src tests experiments benchmarks
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/bench_run.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
