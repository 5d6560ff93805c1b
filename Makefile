# Everything installs into .venv from PyPI; the only prerequisite is Python 3.11 with venv.
# The browser test needs Debian's chromium, DOC files LibreOffice, the OCR comparison Tesseract
# (chi_sim), the OCR corpus build CJK fonts: installed with apt when missing.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install system-packages sample-portal fixtures-check goldens clean

demo: $(STAMP)
	$(BIN)/govreports demo

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# The unit tests alone (marked `unit`: no network, no fixture portal), outside the namespace, but
# those that run LibreOffice (marked `soffice`): seconds.
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "unit and not soffice" -q

# The tests run in a network namespace of their own (tests/netns.py: unshare, ip).
system-packages:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v tesseract >/dev/null \
		&& command -v ip >/dev/null && command -v unshare >/dev/null \
		&& [ -e /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] \
		&& [ -e /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei \
		iproute2 util-linux >/dev/null; }

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Maintainers: rebuild the bundled sample portal from tests/fixtures/corpus, write missing goldens.
sample-portal: $(STAMP)
	$(BIN)/python scripts/build_sample_portal.py tests/fixtures/corpus

# Maintainers: rerun every fixture script (from tests/fixtures/corpus) and fail if a byte changed.
fixtures-check: $(STAMP) system-packages
	for script in scripts/build_*.py; do $(BIN)/python $$script >/dev/null || exit 1; done
	git diff --exit-code --stat -- tests/fixtures govreports/sample_portal

goldens: $(STAMP)
	$(BIN)/python tests/make_goldens.py

clean:
	rm -rf $(VENV) archive.db archive.db-wal archive.db-shm archive.db.lock warcs
