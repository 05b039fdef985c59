#!/usr/bin/env bash
# Diff speed, side by side: `regwatch diff --raw --format unified` (text
# only) and `regwatch diff --format json` (the whole semantic diff: both
# sides parsed, provisions matched, flags, formatting pass) against GNU
# `diff -u` and Python's difflib.unified_diff (urlwatch's engine) on the
# same two files, each run as a process as a user would.
# Prints the median of N runs per tool and the ratios.
#
# Usage: benches/text_diff_vs.sh [OLD NEW] [RUNS]
# Default files: the two 2.4 MB variants of the 2024-02-12 Federal
# Register issue in ../shared/corpus. Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/fr_xml
old=${1:-$corpus/FR-2024-02-12.full-issue.current-endash.xml}
new=${2:-$corpus/FR-2024-02-12.full-issue.updated-hyphen.xml}
runs=${3:-11}
for f in "$old" "$new"; do
  [ -f "$f" ] || { echo "SKIP: $f not found"; exit 0; }
done
cargo build --release --quiet
bin=target/release/regwatch

# Median wall time in milliseconds of each command, run $runs times in
# turn (one run of each, then the next round): a burst of load on the
# machine then falls on every tool alike instead of on one of them.
medians=$(python3 - "$runs" "$bin" "$old" "$new" <<'PY'
import subprocess, sys, time
runs, binary, old, new = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
difflib = """
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").readlines()
b = open(sys.argv[2], encoding="utf-8").readlines()
sys.stdout.writelines(difflib.unified_diff(a, b, sys.argv[1], sys.argv[2]))
"""
commands = [
    [binary, "diff", "--raw", "--format", "unified", old, new],
    [binary, "diff", "--format", "json", old, new],
    ["diff", "-u", old, new],
    ["python3", "-c", difflib, old, new],
]
times = [[] for _ in commands]
for _ in range(runs):
    for cmd, spent in zip(commands, times):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        spent.append((time.perf_counter() - t) * 1000)
        if r.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed with {r.returncode}")
print(" ".join(f"{sorted(t)[len(t) // 2]:.1f}" for t in times))
PY
)
read -r ours semantic gnu py <<<"$medians"

echo "files: $(wc -c <"$old") and $(wc -c <"$new") bytes; median of $runs runs"
printf '  %-40s %8s ms\n' "regwatch diff --raw --format unified" "$ours" \
  "regwatch diff --format json (semantic)" "$semantic" \
  "GNU diff -u" "$gnu" "python difflib.unified_diff" "$py"
python3 - "$ours" "$gnu" "$py" "$semantic" <<'PY'
import sys
ours, gnu, py, semantic = map(float, sys.argv[1:])
print(f"  regwatch / GNU diff           = {ours / gnu:.2f}x   (target: <= 3x)")
print(f"  difflib  / regwatch (text)    = {py / ours:.1f}x   (target: >= 10x)")
print(f"  difflib  / regwatch (json)    = {py / semantic:.1f}x   (target: >= 10x)")
PY
