#!/usr/bin/env bash
# Whole real eCFR files, checked and timed as processes: the parts of 15 CFR
# the issue "Read the EAR as it is really published" measures on full size.
# The files are not in the repository (2+ MB each): pass a folder holding
# any of
#   title-15-part-774-2026-09-01.xml   the whole CCL (newer)
#   title-15-part-774-OLD.xml          the whole CCL at an earlier date
#   title-15-part-744-2026-09-01.xml   the whole part 744 (Entity List)
#   title-15-part-740-2026-09-01.xml   the whole part 740
# (eCFR versioner XML, e.g. from the public repository draygada/Caddy; see
# docs/MODEL.md). For each file present it prints the bold ECCN headings
# the markup has against the CCL entries parsed, the Entity List parties,
# the flags of a self-diff (must be 0), the flags of the CCL pair, and the
# median wall time of `regwatch parse` and `regwatch diff` (N runs).
#
# Usage: benches/real_ear.sh DIR [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: benches/real_ear.sh DIR [RUNS]}
runs=${2:-7}
cargo build --release --quiet
bin=$PWD/target/release/regwatch
python3 - "$bin" "$dir" "$runs" <<'PY'
import json, os, re, subprocess, sys, time
bin, d, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def median_ms(cmd):
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
        if r.returncode not in (0, 1):
            sys.exit(f"{cmd} failed with {r.returncode}")
    ts.sort()
    return ts[len(ts) // 2]

def run_json(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{cmd} failed with {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)["data"]

def path(name):
    p = os.path.join(d, name)
    return p if os.path.exists(p) else None

for name in ["title-15-part-774-2026-09-01.xml", "title-15-part-774-OLD.xml",
             "title-15-part-744-2026-09-01.xml", "title-15-part-740-2026-09-01.xml"]:
    p = path(name)
    if not p:
        print(f"{name}: not in {d}, skipped")
        continue
    text = open(p, encoding="utf-8").read()
    doc = run_json([bin, "parse", p, "--format", "json"])
    line = f"{name}: {len(text.encode('utf-8')):,} bytes; parse {median_ms([bin, 'parse', p, '--format', 'json']):.1f} ms"
    if "774" in name:
        heads = len(re.findall(r"<FP-[12]><B>\d[A-E]\d{3}\b", text))
        line += f"; ECCN headings {heads}, CCL entries {len(doc.get('eccn_entries', []))}"
    if "744" in name:
        line += f"; Entity List parties {len(doc.get('entity_list', []))}"
    line += f"; provisions {len(doc.get('provisions', []))}"
    self_diff = run_json([bin, "diff", p, p, "--format", "json"])
    line += f"; self-diff flags {len(self_diff['flags'])}"
    print(line)

old, new = path("title-15-part-774-OLD.xml"), path("title-15-part-774-2026-09-01.xml")
if old and new:
    diff = run_json([bin, "diff", old, new, "--format", "json"])
    ms = median_ms([bin, "diff", old, new, "--format", "json"])
    print(f"CCL pair: diff --format json {ms:.1f} ms; {len(diff['flags'])} flags:")
    for f in diff["flags"]:
        print("  ", f.get("message") or f)
PY
