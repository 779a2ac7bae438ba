#!/usr/bin/env bash
# Print the path of the first Python >= 3.12 on this machine, or fail with a clear message.
# Mesa 3.5 needs Python >= 3.12; on older Pythons pip silently resolves an older Mesa.
# Candidates are tried by running them, because pyenv shims exist on PATH for versions
# that are installed but not activated.
set -u
candidates=("${PYTHON:-}" python3.13 python3.12 python3)
for v in /root/.pyenv/versions/3.13* /root/.pyenv/versions/3.12* \
         "$HOME"/.pyenv/versions/3.13* "$HOME"/.pyenv/versions/3.12* \
         /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  [ -x "$v/bin/python3" ] && candidates+=("$v/bin/python3")
  [ -x "$v" ] && [ ! -d "$v" ] && candidates+=("$v")
done
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  if "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    "$c" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "error: ecosim needs Python >= 3.12 (Mesa 3.5 does not support older versions)." >&2
echo "       none was found on PATH (python3.13, python3.12, python3) or under ~/.pyenv/versions." >&2
echo "       Install one, or point PYTHON at it: make PYTHON=/path/to/python3.12 test" >&2
exit 1
