# Thin task runner. `make site` builds the default edition; `make test` runs every check.
# Both install what they need first (Python packages, Debian chromium and CJK fonts, the
# vendored iframe-worker shim), so they work on a fresh machine.

PYTHON   ?= python3
CAMPAIGN ?= campaigns/example.yml
OUT      ?= editions
IFRAME_WORKER_VERSION := 1.0.4
VENDOR   := docs/assets/javascripts/vendor

.PHONY: setup site serve test editions schema bench zensical-check clean

setup: .setup-debian $(VENDOR)/iframe-worker.js .setup-python

.setup-python: requirements.txt requirements-dev.txt
	$(PYTHON) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# chromium for browser tests and the PDF print pack; Simplified Chinese fonts (Noto CJK for
# pages, the TrueType AR PL and WenQuanYi faces so print packs embed real outlines and
# LibreOffice has a Song, Kai and Hei face to stand in for the Office fonts); poppler-utils
# for the PDF checks; LibreOffice Writer to open the .docx files as a reader would; npm
# to fetch the offline-search shim. Runs as root (CI and these machines are root).
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei \
                   fontconfig poppler-utils libreoffice-writer-nogui
.setup-debian:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; \
	            command -v npm >/dev/null || echo "nodejs npm"); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	touch $@

# The offline plugin would load the iframe-worker shim from a CDN; we serve it from the
# edition itself. Taken from the npm registry at a pinned version, with its licence.
$(VENDOR)/iframe-worker.js: | .setup-debian
	mkdir -p $(VENDOR)
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent iframe-worker@$(IFRAME_WORKER_VERSION) >/dev/null \
	  && tar xzf iframe-worker-$(IFRAME_WORKER_VERSION).tgz \
	  && cp package/shim/index.js $(CURDIR)/$(VENDOR)/iframe-worker.js \
	  && cp package/LICENSE $(CURDIR)/$(VENDOR)/iframe-worker.LICENSE \
	  && rm -rf $$tmp

site: setup
	CAMPAIGN=$(CAMPAIGN) $(PYTHON) -m mkdocs build --strict

serve: setup
	CAMPAIGN=$(CAMPAIGN) $(PYTHON) -m mkdocs serve

test: setup
	$(PYTHON) -m pytest -n 2 --dist worksteal tests

editions: setup
	$(PYTHON) -m macros.editions --out $(OUT) campaigns/*.yml

schema:
	$(PYTHON) -m macros.schema

bench: setup
	$(PYTHON) tests/benchmark_editions.py

# Zensical, the successor of Material for MkDocs, in its own virtual environment (not a
# dependency of the project): builds the example edition and compares every page's text
# with the MkDocs build (README, "Choices").
ZENSICAL_VERSION := 0.0.73
.venv-zensical/.done: requirements.txt
	$(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/pip install -q --disable-pip-version-check zensical==$(ZENSICAL_VERSION) -r requirements.txt
	touch $@

zensical-check: setup .venv-zensical/.done
	$(PYTHON) tests/zensical_check.py .venv-zensical/bin/zensical $(CAMPAIGN)

clean:
	rm -rf site editions .setup-python .setup-debian .venv-zensical
