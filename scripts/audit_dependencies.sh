#!/usr/bin/env bash
# Audit requirements.lock for known vulnerabilities with pip-audit, from its own virtualenv
# (.venv-audit/, never the project's .venv, whose versions Rasa 3.6 needs).
#
# It REPORTS and does not fail the build for findings: Rasa 3.6.21's bounds keep some vulnerable
# versions pinned (README, "Known vulnerabilities of pinned packages"). Findings whose advisory id
# is not in that README section are marked NEW.
#
# Exit status: 0 when the audit ran (findings or not), and also when it could not reach the
# registry or a vulnerability service (a clear warning is printed: a network blip must not fail CI).
# Non-zero only when the audit cannot work for another reason (no Python, the lock file missing or
# not fully pinned, an unexpected pip-audit error).
#
# Environment: AUDIT_SERVICES (default "pypi osv", tried in order until one answers),
# AUDIT_REQUIREMENTS (default requirements.lock), AUDIT_VENV (default .venv-audit),
# AUDIT_TIMEOUT (seconds per request, default 30), AUDIT_DESC=1 prints each advisory's description.
set -uo pipefail
cd "$(dirname "$0")/.."

PIP_AUDIT_VERSION=2.10.1
VENV=${AUDIT_VENV:-.venv-audit}
LOCK=${AUDIT_REQUIREMENTS:-requirements.lock}
SERVICES=${AUDIT_SERVICES:-pypi osv}
TIMEOUT=${AUDIT_TIMEOUT:-30}
NETWORK_ERRORS='ConnectionError|NameResolution|Name or service not known|Temporary failure in name resolution|Max retries exceeded|timed out|Timeout|Network is unreachable|Connection refused|Connection reset|SSLError|ProxyError|HTTPError|50[0-9] Server Error'

skip() {  # the audit could not reach the network: say so loudly, do not fail
  echo "audit: WARNING: dependency audit NOT performed: $*"
  echo "audit: WARNING: no vulnerability data was checked; run 'make audit' again when the network is back."
  exit 0
}

[[ -f $LOCK ]] || { echo "audit: $LOCK not found" >&2; exit 2; }

if ! "$VENV/bin/pip-audit" --version 2>/dev/null | grep -qx "pip-audit $PIP_AUDIT_VERSION"; then
  py=$(scripts/find_python310.sh 2>/dev/null || command -v python3 || true)
  [[ -n $py ]] || { echo "audit: no Python 3 interpreter found" >&2; exit 2; }
  rm -rf "$VENV"
  "$py" -m venv "$VENV" || { echo "audit: could not create $VENV with $py" >&2; exit 2; }
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION" \
      >"$VENV/install.log" 2>&1; then
    tail -n 5 "$VENV/install.log"
    rm -rf "$VENV"  # not reused half-installed
    skip "could not install pip-audit==$PIP_AUDIT_VERSION (package registry unreachable?)"
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tried=()
for service in $SERVICES; do
  # A fully pinned lock without hashes: --no-deps audits exactly the listed versions without resolving,
  # --disable-pip skips pip's resolver altogether (no temporary virtualenv, no downloads).
  "$VENV/bin/pip-audit" --requirement "$LOCK" --no-deps --disable-pip --vulnerability-service "$service" \
    --progress-spinner off --timeout "$TIMEOUT" --format json --desc on --aliases on \
    --output "$work/$service.json" >"$work/$service.out" 2>"$work/$service.err"
  status=$?
  if [[ ! -s $work/$service.json ]]; then
    if grep -qE "$NETWORK_ERRORS" "$work/$service.err"; then
      tried+=("$service: unreachable ($(grep -oE "$NETWORK_ERRORS" "$work/$service.err" | head -n 1))")
      continue
    fi
    echo "audit: pip-audit failed (exit $status) with the $service service:" >&2
    grep -v -E 'encouraged to fully hash|Consider using a tool like' "$work/$service.err" | tail -n 20 >&2
    exit 2
  fi
  # Exit 0 or 1 (1: vulnerabilities found) with a report: render it; 3 means no dependency could be
  # looked up (the service does not answer for these packages here): try the next service.
  "$VENV/bin/python" - "$work/$service.json" "$service" "$PIP_AUDIT_VERSION" "$LOCK" <<'EOF'
import json, re, sys
from pathlib import Path

report_path, service, version, lock = sys.argv[1:]
report = json.loads(Path(report_path).read_text())
deps = report["dependencies"]
skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
if not audited:
    print(f"{service}: answered for none of {len(deps)} packages ({skipped[0]['skip_reason'] if skipped else 'empty'})")
    sys.exit(3)
readme = Path("README.md").read_text(encoding="utf-8") if Path("README.md").is_file() else ""
documented = readme.split("## Known vulnerabilities of pinned packages", 1)[-1] if readme else ""
documented = documented.split("\n## ", 1)[0]
known = set(re.findall(r"\b(?:GHSA(?:-[0-9a-z]{4}){3}|PYSEC-\d{4}-\d+|CVE-\d{4}-\d+)\b", documented))
rows = []
for dep in audited:
    for vuln in dep.get("vulns", []):
        ids = {vuln["id"], *vuln.get("aliases", [])}
        rows.append((dep["name"], dep["version"], vuln["id"], ",".join(vuln.get("fix_versions", [])) or "none",
                     ",".join(sorted(a for a in vuln.get("aliases", []) if a.startswith("CVE-"))),
                     "documented" if ids & known else "NEW", vuln.get("description") or ""))
print(f"pip-audit {version}, service {service}: {len(audited)} pinned packages of {lock} audited", end="")
print(f", {len(skipped)} could not be looked up" if skipped else "")
if rows:
    head = ("Package", "Version", "Advisory", "Fixed in", "CVE", "README")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    new = sum(1 for r in rows if r[5] == "NEW")
    packages = len({r[0] for r in rows})
    print(f"{len(rows)} known vulnerabilities in {packages} packages; {new} not yet in the README's "
          "'Known vulnerabilities of pinned packages' (reported, not failing: see that section).")
    import os
    if os.environ.get("AUDIT_DESC") == "1":
        for r in rows:
            print(f"\n{r[0]} {r[1]} {r[2]}:\n  " + r[6].strip().replace("\n", "\n  "))
else:
    print("No known vulnerabilities in the audited packages.")
for dep in skipped:
    print(f"not audited: {dep['name']} {dep.get('version', '')}: {dep['skip_reason']}")
EOF
  case $? in
    0) exit 0 ;;
    3) tried+=("$service: answered for no package"); continue ;;
    *) echo "audit: could not read pip-audit's report" >&2; exit 2 ;;
  esac
done
skip "no vulnerability service answered ($(IFS=";"; echo "${tried[*]}"))"
