# Two commands for a user: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench attribution clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/audiobook generate examples/the-lantern-at-gull-point.md -c voices.yaml -o output/

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/recast.py

# Speaker attribution on the Project Dialogism Novel Corpus (converted once into /tmp/pdnc; see bench/attribution.py)
attribution: $(STAMP)
	$(BIN)/python bench/attribution.py

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
