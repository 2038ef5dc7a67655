# Trợ lý Dịch vụ công: everything from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
MODEL     := models/tro-ly.tar.gz
GENERATED := data/nlu/generated/augmented.yml
WIDGET_JS := web/widget/node_modules/.installed

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

NLU_SOURCES   := $(wildcard data/nlu/*.yml)
MODEL_INPUTS  := config.yml domain.yml $(wildcard data/*.yml) $(NLU_SOURCES) $(GENERATED) \
                 $(wildcard bot/nlu/*.py) knowledge/vntext.py knowledge/shorthand.py knowledge/shorthand.yml \
                 knowledge/dossier_codes.py

.PHONY: help setup train run test test-fast kb-check kb-import validate lint lock eval eval-nlu eval-qa eval-match tune-qa bench soak retention clean

help:
	@echo "make run       set up, train if needed, start the bot (chat at http://localhost:8080/, REST on :5005)"
	@echo "make test      the whole test suite (sets everything up first)"
	@echo "make kb-check  validate the knowledge base"
	@echo "make kb-import re-import the national procedure records (SRC=folder)"
	@echo "make train     train the model if its inputs changed"
	@echo "make eval      our NLU pipeline against Rasa's default one on held-out text (report in reports/)"
	@echo "make bench     20 simulated citizens against the stack: latency, throughput, memory"
	@echo "make eval-nlu  held-out NLU accuracy per kind of text of the current model"
	@echo "make eval-qa   real citizens' questions: answered / partial / asked back / declined / wrong"
	@echo "make eval-match unseen wordings of curated questions: does each reach the question it asks?"
	@echo "make soak      two replicas on real PostgreSQL + Redis, 30 citizens for 10 minutes"
	@echo "make retention delete conversations and bot records older than RETENTION_DAYS (90); ARGS=--dry-run counts only"

$(INSTALLED): requirements.lock scripts/find_python310.sh
	@set -e; py=$$(scripts/find_python310.sh); \
	if [[ ! -x $(PY) ]] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); echo "setup: creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check pip==24.0
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

# The widget's browser dependencies (socket.io client), pinned by package-lock.json.
$(WIDGET_JS): web/widget/package.json web/widget/package-lock.json
	npm ci --prefix web/widget --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(INSTALLED) $(WIDGET_JS)

$(GENERATED): $(INSTALLED) $(NLU_SOURCES) knowledge/shorthand.yml tools/nlu_augment.py
	$(PY) -m tools.nlu_augment data/nlu $@

$(MODEL): $(INSTALLED) $(MODEL_INPUTS)
	$(RASA) train --fixed-model-name tro-ly --out models --domain domain.yml --data data --config config.yml
	@touch $@

train: $(MODEL)

run: $(MODEL) $(WIDGET_JS)
	$(PY) -m deploy.stack --model $(MODEL)

# Browser tests drive Debian's Chromium; install it when missing.
test: $(INSTALLED) $(GENERATED) $(WIDGET_JS)
	scripts/ensure_chromium.sh
	scripts/ensure_services.sh
	$(PY) -m ruff check .
	$(PY) -m pytest

test-fast: $(INSTALLED) $(GENERATED) $(WIDGET_JS)
	scripts/ensure_services.sh
	$(PY) -m pytest -m "not slow"

kb-check: $(INSTALLED)
	$(PY) -m knowledge.check

# Re-import the national procedure records into knowledge/national/ (SRC: <ministry>/<code>.json files).
# ARGS=--stage puts them beside the live ones for an administrator to confirm on the console's import page.
SRC ?= ../shared/national-tthc/records
kb-import: $(INSTALLED)
	$(PY) -m knowledge.tthc_import $(SRC) $(ARGS)

validate: $(INSTALLED) $(GENERATED)
	$(RASA) data validate --fail-on-warnings --domain domain.yml --data data --config config.yml

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

eval-nlu: $(MODEL)
	$(PY) -m tools.evaluate_nlu --model $(MODEL) tests/nlu/heldout.yml tests/nlu/heldout_independent.yml

# Trains both pipelines twice (shipped data, then hand-written only): about 18 minutes on 2 cores.
eval: $(INSTALLED) $(GENERATED)
	$(PY) -m tools.compare_nlu

# Real citizens' questions (eval/qa/test_*.yml) against the stack; SPLIT=dev for the development questions.
# The figures in brackets are the previous run's (reports/eval-qa-<split>.json).
SPLIT ?= test
eval-qa: $(MODEL)
	$(PY) -m tools.evaluate_qa --split $(SPLIT) --model $(MODEL)

# Unseen wordings of curated questions (eval/match/): how often the router reaches the question asked.
eval-match: $(INSTALLED)
	$(PY) -m tools.evaluate_match --set dev
	$(PY) -m tools.evaluate_match --set heldout

# The routing thresholds, chosen on the development questions only.
tune-qa: $(INSTALLED)
	$(PY) -m tools.tune_qa

# BENCH_ARGS="--url http://127.0.0.1:5005" measures a running stack instead.
bench: $(MODEL)
	$(PY) -m tools.bench $(BENCH_ARGS)

# The scale-out soak for longer than CI runs it (real PostgreSQL and Redis, two replicas).
SOAK_SECONDS ?= 600
soak: $(MODEL) $(WIDGET_JS)
	scripts/ensure_services.sh
	TEST_MODEL=$(MODEL) SOAK_SECONDS=$(SOAK_SECONDS) $(PY) -m pytest -s tests/test_scale_out.py

# Delete (or anonymise) conversations and bot records older than RETENTION_DAYS (default 90) in the
# databases of TRACKER_STORE_URL, CONSOLE_DB_URL and DOSSIER_DB_URL. ARGS="--dry-run" or "--days N".
retention: $(INSTALLED)
	$(PY) -m records.retention $(ARGS)

# Re-resolve requirements.in into requirements.lock (needs the registry).
lock:
	@set -e; py=$$(scripts/find_python310.sh); tmp=$$(mktemp -d); \
	"$$py" -m venv $$tmp/venv; $$tmp/venv/bin/pip install --quiet pip==24.0; \
	$$tmp/venv/bin/pip install --quiet -r requirements.in; \
	{ echo "# Resolved from requirements.in with Python 3.10 (\`make lock\`). Install with \`make setup\`."; \
	  $$tmp/venv/bin/pip freeze --all | grep -v -E '^(pip|wheel)=='; } > requirements.lock; rm -rf $$tmp

# Known vulnerabilities of the pinned packages (pip-audit in its own .venv-audit/): reports, never fails
# for findings or an unreachable network; README "Known vulnerabilities of pinned packages".
.PHONY: audit
audit:
	scripts/audit_dependencies.sh

clean:
	rm -rf models .rasa data/nlu/generated .pytest_cache
