"""Harness throughput figures (scripts/bench-harness): prints, never fails on a number.

Against one LiteLLM proxy and its fake upstream, in one run, with the same concurrency K and the same
requests (the #25276 config's backup group, answered 200):
  harness   Replayer.replay + the live verdict (compare) per request, K threads, as `run` does
  baseline  a bare requests.Session loop, K threads, posting the same bodies
  upstream  the same bare loop straight at the fake upstream (what it can serve without the proxy)
Each is repeated R times; medians of requests per second and the harness/baseline ratio are printed.

    python -m routecheck_live.bench [--version 1.82.3] [-n 300] [-k 8] [-r 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path

import requests

from .launcher import Proxy
from .oracle import Oracle
from .replay import Replayer, new_run_id
from .runner import ask_oracle
from .scenario import Scenario
from .upstream import add_marker

SCENARIO = Path(__file__).resolve().parent.parent.parent / "corpus" / "scenarios" / "issue-25276-credential-tag-leak.json"


def _threads(n: int, k: int, fn) -> float:
    """Runs fn(i) for i < n on k threads; returns the wall time."""
    nxt = iter(range(n))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            fn(i)

    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench-harness")
    ap.add_argument("--version", default="1.82.3")
    ap.add_argument("-n", type=int, default=300, help="requests per measurement")
    ap.add_argument("-k", "--concurrency", type=int, default=8)
    ap.add_argument("-r", "--repeats", type=int, default=3)
    ap.add_argument("--oracle")
    args = ap.parse_args(argv)

    [base] = Scenario.load(SCENARIO)
    s = Scenario.from_json(dict(base.to_json(), id="bench", faults={},
                                request=dict(base.to_json()["request"], body={
                                    "model": "backup", "messages": [{"role": "user", "content": "ping"}]})))
    oracle = Oracle.find(args.oracle)
    print(f"bench-harness: litellm {args.version}, {args.n} requests x {args.repeats} repeats, "
          f"concurrency {args.concurrency}; request: model=backup -> backup-1 answers 200")
    t = time.perf_counter()
    with Proxy.launch(args.version, s.config) as proxy:
        print(f"  proxy ready in {time.perf_counter() - t:.1f}s")
        answers = ask_oracle(oracle, [s], "litellm-1.82", {}, proxy.upstream.port)["bench"]
        local = threading.local()
        verdicts = []

        def harness(i):
            if not hasattr(local, "r"):
                local.r = Replayer(proxy.url, proxy.master_key, proxy.upstream)
            obs = local.r.replay(s, new_run_id(s.id))
            verdicts.append(answers.judge(obs).verdict.value)

        url = f"{proxy.url}{s.path}"
        hdrs = {"Authorization": f"Bearer {proxy.master_key}", "Content-Type": "application/json"}
        bodies = [json.dumps(add_marker(s.request_body, f"bench.{i}")) for i in range(args.n)]

        def bare(target_url, headers):
            def fn(i):
                if not hasattr(local, "sess"):
                    local.sess = requests.Session()
                r = local.sess.post(target_url, data=bodies[i], headers=headers, timeout=60)
                r.content
            return fn

        up_url = proxy.upstream.api_base("backup-1") + "/chat/completions"
        fake_key = next(k for k, v in proxy.wire.keys.items() if "backup-1" in v)
        up_hdrs = {"Authorization": f"Bearer {fake_key}", "Content-Type": "application/json"}
        bodies_up = [json.dumps(dict(json.loads(b), model="backup-1")) for b in bodies]
        figures = {"harness": [], "baseline": [], "upstream": []}
        _threads(min(20, args.n), args.concurrency, bare(url, hdrs))   # warm-up
        for rep in range(args.repeats):
            local = threading.local()
            figures["harness"].append(args.n / _threads(args.n, args.concurrency, harness))
            local = threading.local()
            figures["baseline"].append(args.n / _threads(args.n, args.concurrency, bare(url, hdrs)))
            local = threading.local()
            saved, bodies = bodies, bodies_up
            figures["upstream"].append(args.n / _threads(args.n, args.concurrency, bare(up_url, up_hdrs)))
            bodies = saved
            print(f"  repeat {rep + 1}: harness {figures['harness'][-1]:.1f}/s, baseline "
                  f"{figures['baseline'][-1]:.1f}/s, fake upstream alone {figures['upstream'][-1]:.1f}/s")
    med = {k: statistics.median(v) for k, v in figures.items()}
    bad = sum(1 for v in verdicts if v != "PASS")
    print()
    print(f"  {'path':<34} {'median req/s':>12}")
    print(f"  {'harness (replay + verdict)':<34} {med['harness']:>12.1f}")
    print(f"  {'requests.Session loop':<34} {med['baseline']:>12.1f}")
    print(f"  {'fake upstream alone (no proxy)':<34} {med['upstream']:>12.1f}")
    print(f"  harness / baseline = {med['harness'] / med['baseline']:.2f}; "
          f"fake upstream / proxy = {med['upstream'] / med['baseline']:.1f}x "
          f"(the proxy, not the upstream, bounds the rate)")
    print(f"  verdicts: {len(verdicts) - bad} PASS, {bad} other")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
