#!/usr/bin/env bash
# Resolve the dependency ranges in pyproject.toml afresh in scratch environments
# and write the exact versions to requirements/*.lock (used as pip constraints).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
lock() {  # name python extras
  "$2" -m venv "$tmp/$1"
  "$tmp/$1/bin/pip" install -q --upgrade "pip<24.1"
  "$tmp/$1/bin/pip" install -q ".[$3]"
  # the redactor's word lists, read as data only (see the Makefile): pinned here as well
  "$tmp/$1/bin/pip" install -q --no-deps $4
  {
    echo "# Exact versions for the $1 environment. Made by 'make lock'; do not edit by hand."
    "$tmp/$1/bin/pip" freeze --exclude wlz-wegwijzer | grep -v '^-e '
  } > "requirements/$1.lock"
  echo "requirements/$1.lock: $(grep -vc '^#' "requirements/$1.lock") packages"
}
lock rasa "$(scripts/find_python.sh 3.10)" rasa,rasa-test "deduce wordfreq" &
lock web "$(scripts/find_python.sh 3.11)" web,web-test deduce &
wait
