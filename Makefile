# Set-up and the main jobs. Plain pip inside a venv; nothing else is needed but python3 >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kg-installed

.PHONY: demo test install browser virtuoso clean

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

## OpenLink Virtuoso for the server tests (Debian's virtuoso-opensource, 7.2.5). The tests start
## their own instance (own database in a temporary folder, free loopback ports), so the packaged
## service is never left running nor enabled. Its postinst asks for a DBA password through debconf:
## we preseed a random one (the packaged database is not used; the tests set their own password).
VIRTUOSO_SERVICE := virtuoso-opensource-7
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || { \
	  echo "installing virtuoso-opensource for the server tests (apt-get)" >&2; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  pw=$$(head -c 18 /dev/urandom | base64 | tr -d '/+='); \
	  printf '%s\n' \
	    "$(VIRTUOSO_SERVICE) $(VIRTUOSO_SERVICE)/dba-password password $$pw" \
	    "$(VIRTUOSO_SERVICE) $(VIRTUOSO_SERVICE)/dba-password-again password $$pw" \
	    | $$SUDO debconf-set-selections && \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	    virtuoso-opensource >/dev/null && \
	  { $$SUDO invoke-rc.d $(VIRTUOSO_SERVICE) stop >/dev/null 2>&1 || true; \
	    if [ -d /run/systemd/system ]; then $$SUDO systemctl disable --now $(VIRTUOSO_SERVICE) >/dev/null 2>&1 || true; fi; \
	    $$SUDO update-rc.d $(VIRTUOSO_SERVICE) disable >/dev/null 2>&1 || true; }; }

## The test suite, one worker per core (at most 4: each starts its own Oxigraph and Virtuoso servers).
test: $(STAMP) browser virtuoso
	$(BIN)/python -m pytest -q -n auto --maxprocesses=4

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
