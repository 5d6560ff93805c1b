# Everything installs into .venv from PyPI; the only prerequisite is Python 3.11 with venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install sample-portal goldens clean

demo: $(STAMP)
	$(BIN)/govreports demo

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Maintainers: rebuild the bundled sample portal from ../shared/corpus, write missing goldens.
sample-portal: $(STAMP)
	$(BIN)/python scripts/build_sample_portal.py ../shared/corpus

goldens: $(STAMP)
	$(BIN)/python tests/make_goldens.py

clean:
	rm -rf $(VENV) archive.db archive.db-wal archive.db-shm originals
