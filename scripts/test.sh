#!/usr/bin/env bash
# Every check, in the order a failure is cheapest to find. Called by `make test`
# (after setup and training) and so by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONDONTWRITEBYTECODE=1
RASA=.venv/rasa/bin
WEB=.venv/web/bin
mkdir -p results

step() { printf '\n== %s\n' "$*"; }

step "Lint and format: ruff (pyproject.toml [tool.ruff])"
$WEB/ruff check bot actions nlp contract dialogue_store benchmarks scripts tests
$WEB/ruff format --check bot actions nlp contract dialogue_store benchmarks scripts tests

step "Types: mypy --strict on the web service (pyproject.toml [tool.mypy])"
$WEB/mypy

step "Rasa: validate domain, data and stories"
$RASA/rasa data validate --domain domain.yml --data data --config config.yml --quiet --fail-on-warnings

step "Conversation tests (tests/stories), NLU and dialogue together"
$RASA/rasa test core --model models/wlz.tar.gz --stories tests/stories \
  --e2e --fail-on-prediction-errors --out results/stories --quiet

step "Unit tests: actions, dialogue logic, tracker store and spaCy pipeline (Python 3.10)"
$RASA/python -m pytest tests/actions tests/nlp tests/dialogue_store -q -p no:cacheprovider --junitxml=results/actions.xml

step "Unit tests: content, web service and store (Python 3.11)"
$WEB/python -m pytest tests/content tests/service -q -p no:cacheprovider --junitxml=results/web.xml

step "Browser tests: chat widget and staff portal in headless Chromium (screenshots in artifacts/)"
$WEB/python -m pytest tests/e2e -q -p no:cacheprovider --junitxml=results/browser.xml

step "Dependency audit (pip-audit; accepted findings in requirements/audit-accepted.txt)"
bash scripts/audit.sh | tee results/audit.txt

step "Summary"
$WEB/python scripts/summarise_junit.py --audit results/audit.txt \
  results/actions.xml results/web.xml results/browser.xml
