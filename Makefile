# Wlz-wegwijzer: `make run` starts the assistant, `make test` runs every check.
# Both create whatever is missing first (environments, spaCy pipeline, model).
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_ENV := .venv/rasa
WEB_ENV  := .venv/web
SPACY_PIPELINE := build/nl_wlz
LEXICON := build/dutch_words.sqlite
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
# The normaliser repairs typos against a lexicon built from the NLU training data.
PIPELINE_INPUTS := nlp/build_pipeline.py nlp/normalizer.py nlp/entities.yml content/glossary.yml \
                   content/regions.yml $(shell find data/nlu -name '*.yml' 2>/dev/null)

.PHONY: help run test setup browser train lock benchmark-nlu benchmark-load audit clean

help:
	@echo "make run   - install what is missing, train if needed, start the assistant on http://127.0.0.1:8000"
	@echo "make test  - install what is missing, train if needed, run all tests"

run: setup train
	$(WEB_ENV)/bin/python scripts/run_all.py

test: setup train
	bash scripts/test.sh

setup: $(RASA_ENV)/.installed $(WEB_ENV)/.installed $(SPACY_PIPELINE)/.built $(LEXICON) browser

# Browser tests drive Debian's Chromium (browser downloads are not possible here)
# and inject axe-core from npm. Without root, the browser tests skip with a note.
browser: node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium not found: install Debian's 'chromium' package to run the browser tests."; fi; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Rasa 3.6 needs Python 3.10; the web service runs on 3.11. The redactor reads the name lists
# of `deduce` and the Dutch word frequencies of `wordfreq` (data only, --no-deps: their code
# wants a newer `regex` than Rasa 3.6 allows).
$(RASA_ENV)/.installed: pyproject.toml requirements/rasa.lock
	@py=$$(scripts/find_python.sh 3.10) && rm -rf $(RASA_ENV) && $$py -m venv $(RASA_ENV)
	$(RASA_ENV)/bin/pip install -q --upgrade "pip<24.1"
	$(RASA_ENV)/bin/pip install -q -c requirements/rasa.lock -e '.[rasa,rasa-test]'
	$(RASA_ENV)/bin/pip install -q --no-deps -c requirements/rasa.lock deduce wordfreq
	touch $@

$(WEB_ENV)/.installed: pyproject.toml requirements/web.lock
	@py=$$(scripts/find_python.sh 3.11) && rm -rf $(WEB_ENV) && $$py -m venv $(WEB_ENV)
	$(WEB_ENV)/bin/pip install -q -c requirements/web.lock -e '.[web,web-test]'
	$(WEB_ENV)/bin/pip install -q --no-deps -c requirements/web.lock deduce
	touch $@

$(SPACY_PIPELINE)/.built: $(RASA_ENV)/.installed $(PIPELINE_INPUTS)
	$(RASA_ENV)/bin/python -m nlp.build_pipeline $(SPACY_PIPELINE)
	touch $@

# Rasa itself skips training when the fingerprint of config, domain and data is unchanged.
# The intent classifier trains deterministically (no TensorFlow); a fixed hash seed keeps
# anything in Rasa that iterates over a set in the same order from run to run.
# The redactor's Dutch word list (bot/lexicon.py), in SQLite so no process holds it in memory.
$(LEXICON): $(RASA_ENV)/.installed bot/lexicon.py $(shell find data/nlu content -name '*.yml' 2>/dev/null)
	$(RASA_ENV)/bin/python -m bot.lexicon $@

train: $(RASA_ENV)/.installed $(SPACY_PIPELINE)/.built
	PYTHONHASHSEED=0 $(RASA_ENV)/bin/rasa train --fixed-model-name wlz --out models --num-threads 2 --quiet

# Rebuild the lock files from the ranges in pyproject.toml (run after changing dependencies).
lock:
	bash scripts/lock.sh

benchmark-nlu: setup
	PYTHONHASHSEED=0 $(RASA_ENV)/bin/python -m benchmarks.nlu

benchmark-load: setup train
	$(WEB_ENV)/bin/python -m benchmarks.load

# Known vulnerabilities in both environments (also a step of `make test`).
audit: setup
	bash scripts/audit.sh

clean:
	rm -rf .venv build models results var
