#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted minor version, e.g. 3.10.
# Looks on PATH first, then in pyenv's versions. Exits 1 with advice if none.
set -euo pipefail
want="${1:?usage: find_python.sh 3.10}"
candidates=("python${want}")
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root)"
elif [ -d "${HOME}/.pyenv" ]; then
  root="${HOME}/.pyenv"
else
  root=""
fi
if [ -n "$root" ]; then
  for dir in "$root"/versions/"${want}".*; do
    [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
  done
fi
for c in "${candidates[@]}"; do
  path="$(command -v "$c" 2>/dev/null || true)"
  [ -n "$path" ] || continue
  # a pyenv shim may exist without that version being installed: ask it.
  if "$path" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '${want}' else 1)" 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "Python ${want} is not installed. Install it, for example with 'pyenv install ${want}'," \
     "or your system's package (python${want} and python${want}-venv), then run this command again." >&2
exit 1
