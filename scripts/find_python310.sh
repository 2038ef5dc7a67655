#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.10 only).
set -u
candidates=()
[[ -n "${PYTHON310:-}" ]] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for p in "$root"/versions/3.10.*/bin/python3.10; do [[ -x "$p" ]] && candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [[ -x "$p" ]] && candidates+=("$p")
done
for p in "${candidates[@]}"; do
  if "$p" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$p"
    exit 0
  fi
done
echo "Không tìm thấy Python 3.10 (Rasa 3.6 chỉ chạy trên 3.10). Cài bằng pyenv: pyenv install 3.10" >&2
exit 1
