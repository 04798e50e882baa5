# Frontdoor: `make run` sets everything up and serves; `make test` proves it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY311 ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCES := bot core directory frontdoor nlu referrals staff
LOCALES := locales
DOMAIN := frontdoor
PG_ADMIN_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: FORCE help venv catalogs extract migrate demo run test test-fast lint bench clean rasa-venv nlu-model eval crossval

help:
	@echo "make run    set up (venv, catalogs, database, demo directory) and serve http://127.0.0.1:8000"
	@echo "make test   set up and run the whole test suite (SQLite and PostgreSQL)"
	@echo "make test-fast  the tests that need no Rasa model (no training)"
	@echo "make bench  benchmarks, results in bench/"
	@echo "make lint   ruff and mypy"
	@echo "make catalogs  extract, update and compile the translation catalogs"
	@echo "make eval   score the Rasa NLU model (held-out split, Learned Hands); results in nlu/eval/results"
	@echo "make crossval  cross-validate the NLU decoding settings on the training data; results in var/crossval"

# The app venv: installed by uv given the machine's pip configuration (pip when uv cannot be), again only
# when pyproject.toml's content changed (its sha256 is the stamp); see frontdoor/app_venv.py.
$(STAMP): FORCE
	@command -v $(PY311) >/dev/null || { echo "Python 3.11 ($(PY311)) is needed and was not found on PATH." >&2; exit 1; }
	@$(PY311) -m frontdoor.app_venv

FORCE:

venv: $(STAMP)

extract: $(STAMP)
	@mkdir -p var
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-by-file --project=Frontdoor \
	  --copyright-holder="Frontdoor contributors" --add-comments=Translators: -k N_ -o var/$(DOMAIN).pot.new $(SOURCES)

catalogs: extract
	$(BIN)/python -m frontdoor.catalogs update var/$(DOMAIN).pot.new
	$(BIN)/pybabel -q compile --use-fuzzy -d $(LOCALES) -D $(DOMAIN) --statistics

migrate: $(STAMP)
	$(BIN)/frontdoor db upgrade

demo: migrate
	$(BIN)/frontdoor demo load --if-empty
	$(BIN)/frontdoor demo staff --if-empty

# The Rasa NLU model: its own Python 3.10 venv (.venv-rasa, pinned by nlu/rasa-constraints.txt),
# and a model trained only when the training data, config or components changed (content hash).
rasa-venv: $(STAMP)
	$(BIN)/python -m nlu.rasa_venv

nlu-model: rasa-venv
	$(BIN)/frontdoor nlu train

eval: nlu-model
	$(BIN)/frontdoor nlu eval
	$(BIN)/python -m nlu.deadline_eval --set heldout

# Decoding settings are chosen here, on the training data (about 20 minutes), never on the held-out split.
crossval: rasa-venv
	$(BIN)/frontdoor nlu crossval

# Serves at once: the app makes the Rasa venv and trains the model in the background when they are missing
# (var/nlu-venv.out, var/nlu-train.out), the keyword classifier answering meanwhile (/healthz and the simulator
# say so), then starts and supervises `rasa run` on FRONTDOOR_NLU_URL (loopback) and switches to the model
# without a restart. FRONTDOOR_NLU_BACKEND=keywords opts out.
run: catalogs demo
	FRONTDOOR_NLU_BACKEND=$${FRONTDOOR_NLU_BACKEND:-rasa} $(BIN)/frontdoor serve

# The model trains (about 8 minutes when its inputs changed) while the tests that do not need it run, on every
# core (pytest-xdist, one test file per worker: module fixtures and the reports they write stay whole);
# the tests marked rasa_model run once it is ready, in one process (one Rasa server). e5 yields its second
# core (OMP_WAIT_POLICY=passive). Any failing phase fails the run; each says how long it took.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile

test: catalogs rasa-venv
	$(BIN)/python -m frontdoor.pgcheck
	@mkdir -p var
	@OMP_WAIT_POLICY=passive $(BIN)/frontdoor nlu train > var/nlu-train.out 2>&1 & train=$$!; \
	trap 'kill $$train 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not rasa_model"; others=$$?; \
	echo "Tests without the model: $$SECONDS s (exit $$others). Waiting for the NLU model (var/nlu-train.out) ..."; \
	if ! wait $$train; then cat var/nlu-train.out; echo "NLU model training failed" >&2; exit 1; fi; \
	cat var/nlu-train.out; echo "NLU model ready at $$SECONDS s."; \
	$(BIN)/python -m pytest -q -m rasa_model; model=$$?; \
	echo "Tests of the model done at $$SECONDS s (exit $$model)."; \
	if [ $$others -ne 0 ]; then exit $$others; fi; exit $$model

# Every test that needs no Rasa model, without training one: the quick loop while working.
test-fast: catalogs
	$(BIN)/python -m frontdoor.pgcheck
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL) -m "not rasa_model"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: catalogs eval
	$(BIN)/python -m frontdoor.pgcheck
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
