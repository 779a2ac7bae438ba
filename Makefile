# Set-up, run, test and benchmark ecosim. Every target builds the virtual environment first,
# with the first Python >= 3.12 that scripts/find_python.sh finds.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCENARIO ?= scenarios/san_diego.yaml
OUT ?= runs/$(basename $(notdir $(SCENARIO)))

.PHONY: run test lint bench setup clean screenshots mutation knockout format chromium

$(STAMP): pyproject.toml
	@python=$$(scripts/find_python.sh) || exit 1; \
	  [ -x $(PY) ] || "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask,viz,analysis]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ecosim run $(SCENARIO) --out $(OUT)

# Two test processes (pytest-xdist), each taking whole files: a module's fixtures are built once.
test: $(STAMP) chromium
	$(VENV)/bin/ruff check src tests experiments benchmarks scripts
	$(VENV)/bin/ruff format --check src tests experiments benchmarks scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -n 2 --dist loadfile

# Mutation testing of the mechanisms and agents (mutmut; slow, not part of CI): the score is in the
# README. `make knockout` breaks each named mechanism once and checks that a test fails.
mutation: $(STAMP)
	$(PY) -m pip install --quiet 'mutmut>=3.8,<4'
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) -c "import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); \
	  tested = s['killed'] + s['survived'] + s['timeout']; \
	  print(f\"mutation score: {s['killed'] + s['timeout']} of {tested} mutants killed \
	  ({100 * (s['killed'] + s['timeout']) / max(1, tested):.0f}%); {s['no_tests']} not covered\")"

# Format the code as `make test` checks it (ruff format); run it before committing.
format: $(STAMP)
	$(VENV)/bin/ruff format src tests experiments benchmarks scripts

knockout: $(STAMP)
	$(PY) scripts/knockout.py --out scripts/knockout.md

bench: $(STAMP)
	$(PY) benchmarks/bench_run.py

# The browser view's screenshots in results/screenshots (1280x720), taken by its Chromium test:
# San Diego in Feb 1988 in English and Japanese, Greater Tokyo with the GTB secretariat in 2026,
# and Greater Tokyo side by side with and without it in 2026.
screenshots: $(STAMP) chromium
	ECOSIM_VIZ_SCREENSHOTS=results/screenshots ECOSIM_VIZ_SCREENSHOT_MONTHS=120 \
	  ECOSIM_VIZ_SIDE_BY_SIDE_MONTHS=60 $(PY) -m pytest -q tests/test_viz_browser.py

# Debian's chromium, which the browser test and the screenshots drive (installed once, if missing).
chromium:
	@[ -x /usr/bin/chromium ] || { echo "installing Debian's chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null || { echo "error: could not install chromium (apt-get)" >&2; exit 1; }; }

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
