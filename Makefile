# Vigil: `make demo` runs it with synthetic data; `make test` runs the whole suite.
# Both set everything up first on a fresh machine (Python venv, pinned packages,
# Debian's chromium for the browser tests, gettext for the Welsh catalogue).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export UV_PYTHON_DOWNLOADS := never
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test setup system-packages messages lint check-welsh clean fuzz

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements/base.txt -r requirements/dev.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) system-packages messages

# Debian packages: chromium (browser tests), gettext (Welsh catalogue), and Pango with
# DejaVu fonts (PDF documents, WeasyPrint). Installed only
# when missing; needs root, as on this machine kind and in CI.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi "DejaVu Sans" || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  (apt-get install -y $$missing >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y $$missing >/dev/null)) \
	    || echo "Could not install$$missing (browser tests will fail under CI=true)"; \
	fi

messages: $(STAMP)
	cd vigil && ../$(PY) ../manage.py compilemessages --ignore='.venv*' >/dev/null

demo: setup
	$(VENV)/bin/vigil demo

test: setup
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-welsh: $(STAMP)
	$(PY) scripts/check_welsh.py

clean:
	rm -rf $(VENV) var

# The API fuzzed from its own schema with many more examples than the suite's, and
# schemathesis's coverage phase (docs/security.md). FUZZ_EXAMPLES=1000 for more.
FUZZ_EXAMPLES ?= 200
fuzz: setup
	VIGIL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) VIGIL_FUZZ_COVERAGE=1 $(PY) -m pytest -n 2 -q -p no:cacheprovider tests/test_api_fuzz.py $(PYTEST_ARGS)
