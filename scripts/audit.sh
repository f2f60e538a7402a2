#!/usr/bin/env bash
# Known vulnerabilities in both environments (pip-audit, PyPI's advisory data).
# Accepted findings, each with its reason: requirements/audit-accepted.txt.
# pip-audit asks PyPI's per-release JSON API; where that cannot be reached (some
# build networks mirror packages but not that API) the audit says so and is not
# counted as passed or failed; anywhere else a finding fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
probe="https://pypi.org/pypi/pip/24.0/json"
if ! .venv/web/bin/python - "$probe" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=10)
except Exception as error:
    print(f"pip-audit NOT RUN: PyPI's vulnerability API is unreachable from here ({error}).")
    sys.exit(1)
PY
then
  exit 0
fi
ignores=$(sed -e 's/#.*//' -e '/^\s*$/d' -e 's/^/--ignore-vuln /' requirements/audit-accepted.txt)
for site in .venv/rasa/lib/python3.10/site-packages .venv/web/lib/python3.11/site-packages; do
  # shellcheck disable=SC2086
  .venv/web/bin/pip-audit --progress-spinner off --vulnerability-service pypi --path "$site" $ignores
done
