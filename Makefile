# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: venv demo test bench lint format messages wheel clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# The local secret key (git-ignored): random, made once, for the owner only.
# `ln` never replaces a key that exists; shop/settings.py makes the same file
# on first use when DJANGO_SECRET_KEY is not set.
.secret_key: | venv
	umask 077 && $(PY) -c 'from django.core.management.utils import get_random_secret_key as k; print(k())' >$@.new
	ln $@.new $@ 2>/dev/null || true
	rm -f $@.new

# DEBUG only for the demo's runserver, so that it serves the admin's CSS/JS.
demo: venv .secret_key
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --orders 500 --if-empty
	$(PY) manage.py inkasso_setup --user clerk
	@echo "Demo shop: http://$(HOST)/admin/  (logins above; 'clerk' may hand over, 'viewer' may not)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST)

test: venv
	bash .ci/test

bench: venv
	@# Both run even when the first misses a target; the status says if any did.
	$(PY) bench/handover.py; handover=$$?; $(PY) bench/remind.py; remind=$$?; \
	  test $$handover = 0 && test $$remind = 0

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	cd inkasso && ../$(PY) ../manage.py makemessages -l de --no-obsolete && ../$(PY) ../manage.py compilemessages
	$(PY) manage.py makemessages -l de --no-obsolete --ignore=inkasso --ignore=tests --ignore=bench --ignore=build --ignore=dist --ignore=docs --ignore=staticfiles --ignore=test-artifacts --ignore='$(VENV)'
	cd shop && ../$(PY) ../manage.py compilemessages

wheel: venv
	$(PY) -m pip install --quiet build
	$(PY) -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) db.sqlite3 dist build *.egg-info staticfiles test-artifacts
