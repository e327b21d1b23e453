#!/usr/bin/env bash
# Runs the whole test suite. Installs missing Debian packages first.
# Prints a closing line "N passed, N failed[, N skipped]" and exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
scripts/ensure-deps.sh test

# Node test clients (tests/node/*) need their npm packages, installed here because tests never reach the registry.
# npm ci runs only when node_modules is missing or was installed from another package-lock.json.
for lock in tests/node/*/package-lock.json; do
  [ -e "$lock" ] || continue
  dir="$(dirname "$lock")"
  if ! cmp -s "$lock" "$dir/node_modules/.installed-lock.json"; then
    (cd "$dir" && npm ci --no-audit --no-fund) && cp "$lock" "$dir/node_modules/.installed-lock.json"
  fi
done

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
dotnet test CallWaiting.sln -c Release --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# Sum the TRX counters of every test project into one plain closing line.
python3 - "$results" <<'PY' || status=1
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    root = ET.parse(f).getroot()
    # Name each failure here too: CI logs keep only the tail, where the runner's own report has scrolled away.
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") not in ("Passed", "NotExecuted"):
            message = r.find("t:Output/t:ErrorInfo/t:Message", ns)
            trace = r.find("t:Output/t:ErrorInfo/t:StackTrace", ns)
            print(f"FAILED {r.get('testName')} [{r.get('duration')}]")
            for text in (message, trace):
                if text is not None and text.text:
                    print("\n".join("    " + line for line in text.text.strip().splitlines()[:12]))
    c = root.find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    skipped += int(c.get("notExecuted"))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not files or passed == 0 else 0)
PY
exit $status
