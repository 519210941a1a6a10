# For a user: `make demo` and `make test`. For a developer: `make test-fast` while working, `make lint`
# before a commit. Every target creates .venv when it is missing (installed with constraints.txt).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest -q

# Bytecode caches on, whatever the environment says: the tests start `python -m audiobook` dozens of
# times, and pytest rewrites the asserts of ~100 modules; without caches each of them compiles anew.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo demo-neural test test-fast test-nofork lint bench bench-neural attribution clean

# --no-compile: modules are compiled when first imported (and cached then), not all of mypy's and
# Playwright's at install.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[test,piper,ray]' -c constraints.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/audiobook generate examples/the-lantern-at-gull-point.md -c voices.yaml -o output/

# The same story with the neural engine (Piper, offline), into output/neural/.
demo-neural: $(STAMP)
	$(BIN)/audiobook generate examples/the-lantern-at-gull-point.md -c examples/voices-neural.yaml -o output/neural/

# One pytest worker per core; a worker that runs out of tests takes some of another's (worksteal: with
# the default, one worker can be left holding a queue of slow tests). The stories several tests share
# are rendered once, by the first worker that needs them.
XDIST := -n auto --dist worksteal

# The whole suite: the real engine, ffmpeg and a browser included.
test: $(STAMP)
	$(PYTEST) $(XDIST)

# Everything but the integration tests (real engine, ffmpeg, browser): well under 30 s.
test-fast: $(STAMP)
	$(PYTEST) $(XDIST) -m "not integration"

# The engine, worker, render and reliability tests again without fork (AUDIOBOOK_NO_FORK=1): the path
# Windows takes (each espeak-ng line spoken by a fresh copy of the library, workers spawned), on Linux.
# (`AUDIOBOOK_NO_FORK=1 make test` runs the whole suite so.)
NOFORK_TESTS := tests/test_engine.py tests/test_workers.py tests/test_render.py tests/test_render_pinned.py \
	tests/test_reliability.py tests/test_platform.py
test-nofork: $(STAMP)
	AUDIOBOOK_NO_FORK=1 $(PYTEST) $(XDIST) $(NOFORK_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python tools/cli_reference.py --check

bench: $(STAMP)
	$(BIN)/python -m bench.parse_speed
	$(BIN)/python -m bench.recast
	$(BIN)/python -m bench.piper --skip-wer
	$(BIN)/python -m bench.ray

# Piper against piper alone, and the generic recogniser's word errors of espeak-ng, joe and each derived
# timbre (needs `pip install -e '.[bench]'` for pocketsphinx; 15-40 minutes on 2 cores)
bench-neural: $(STAMP)
	$(BIN)/python -m bench.piper

# Speaker attribution on the Project Dialogism Novel Corpus (converted once into /tmp/pdnc; see bench/attribution.py)
attribution: $(STAMP)
	$(BIN)/python -m bench.attribution

clean:
	rm -rf $(VENV) output/*/ .pytest_cache
