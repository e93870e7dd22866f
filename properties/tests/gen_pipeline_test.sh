#!/usr/bin/env bash
# `routecheck gen` output must pass `routecheck oracle --jsonl` with no error line (CONTRACT.md §4–5).
# Usage: gen_pipeline_test.sh ROUTECHECK_BIN SOURCE_DIR
set -uo pipefail
bin=$1; src=$2
fail=0
check() {  # check NAME GEN-ARGS...
  local name=$1; shift
  local out rc lines errors
  out=$("$bin" gen "$@" | "$bin" oracle --jsonl --no-alternatives); rc=$?
  lines=$(printf '%s\n' "$out" | grep -c . || true)
  errors=$(printf '%s\n' "$out" | grep -c '"error":' || true)
  if [ "$rc" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$lines" -eq 0 ]; then
    echo "FAIL $name: oracle exit $rc, $errors error lines of $lines"
    printf '%s\n' "$out" | grep '"error":' | head -3
    fail=1
  else
    echo "ok   $name: $lines results"
  fi
}
check "default tier"            --seed 1 --count 60
check "litellm-latest"          --seed 2 --count 40 --profile litellm-latest
check "live-safe"               --seed 3 --count 60 --live-safe
check "fixed config"            --seed 4 --count 30 --config "$src/properties/tests/data/two-groups.yaml"
for k in 1 2 3 4 5; do
  check "transform MP-$k"       --seed 5 --count 20 --transform "MP-$k"
done

# Same seed, same output.
a=$("$bin" gen --seed 9 --count 5 | sha256sum); b=$("$bin" gen --seed 9 --count 5 | sha256sum)
[ "$a" = "$b" ] && echo "ok   deterministic" || { echo "FAIL: gen --seed 9 differs between runs"; fail=1; }

# Twins carry twin_of, relation and the id <id>~MP-k.
twin=$("$bin" gen --seed 6 --count 1 --transform MP-2 | sed -n 2p)
case "$twin" in
  *'"relation":"MP-2"'*'"twin_of":"gen-6-'*) echo "ok   twin fields" ;;
  *) echo "FAIL: twin line lacks relation/twin_of: $twin"; fail=1 ;;
esac

# Live-safe limits (CONTRACT.md §9).
"$bin" gen --seed 8 --count 200 --live-safe | python3 -c '
import json, sys
presets = set()
for line in sys.stdin:
    s = json.loads(line)
    rs = s["config"]["router_settings"]
    assert s["request"]["path"] == "/v1/chat/completions", s["id"]
    assert rs["num_retries"] <= 2 and rs["disable_cooldowns"] is True, s["id"]
    presets.add(json.dumps({k: v for k, v in rs.items() if not k.endswith("fallbacks")}, sort_keys=True))
    for d in s["config"]["model_list"]:
        q = s["faults"].get(d["model_info"]["id"], [])
        if "timeout" in q: assert d["litellm_params"].get("timeout", 99) <= 2, s["id"]
        for o in q:
            if "@retry-after=" in o: assert float(o.split("=")[1]) <= 1, s["id"]
assert len(presets) <= 4, presets
print("ok   live-safe limits (%d presets)" % len(presets))
' || fail=1

# A bad --transform is a usage error.
"$bin" gen --seed 1 --count 1 --transform MP-9 >/dev/null 2>&1; [ $? -eq 2 ] && echo "ok   bad relation exits 2" || { echo "FAIL: bad relation"; fail=1; }
exit $fail
