# Set-up and the main jobs. Plain pip inside a venv; nothing else is needed but python3 >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kg-installed

.PHONY: demo test install browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the embedded in-memory default: build the graph, validate it, summarise it.
demo: $(STAMP)
	$(BIN)/kg stats
	$(BIN)/kg validate
	$(BIN)/kg centrality --top 10

## A headless browser for the test that opens the centrality report (Debian's chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser test (apt-get)" >&2; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## The test suite.
test: $(STAMP) browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
