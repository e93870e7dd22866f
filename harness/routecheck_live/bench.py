"""Harness throughput figures (scripts/bench-harness): prints, never fails on a number.

One LiteLLM proxy, one fake upstream, N scenarios (the #25276 config's backup group, answered 200,
batched and namespaced exactly as `run` batches them), in one run:

  harness   `run`'s own batch path (LiveRun._run_batch on the started proxy): K worker threads with a
            requests.Session each, fault plan, run marker, replay, upstream record, namespace mapping,
            live verdict, result, progress report writes (results.json, summary.md, junit.xml)
  baseline  K threads with a requests.Session each posting the same N requests (same URL, headers and
            bodies, markers included, prebuilt before the clock starts) and reading the answers
  Rounds alternate which of the two goes first; medians over the rounds. Both share the proxy and the
  fake upstream (which runs in this process, as in `run`). Not timed: the proxy start, the pre-flight,
  the oracle call (one per run; its time is printed).

  fake upstream vs proxy: a separate load-generator process (routecheck_live.loadgen: raw keep-alive
  sockets, one thread, selectors) drives the fake upstream, then the proxy, with C connections for S
  seconds each, alternating; its own CPU share is printed to show it is not what limits the rate.

    python -m routecheck_live.bench [--version 1.82.3] [-n 200] [-k 8] [-r 7] [--load-seconds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from .batch import cooldowns_on, plan_batches
from .launcher import Proxy
from .oracle import Oracle
from .replay import NO_USER_AGENT, Replayer, new_run_id
from .runner import LiveRun, Settings, ask_oracle
from .scenario import Scenario
from .upstream import add_marker

SCENARIO = Path(__file__).resolve().parent.parent.parent / "corpus" / "scenarios" / "issue-25276-credential-tag-leak.json"
PROFILE = "litellm-1.82"


def bench_scenarios(n: int) -> list[Scenario]:
    [base] = Scenario.load(SCENARIO)
    doc = base.to_json()
    body = {"model": "backup", "messages": [{"role": "user", "content": "ping"}]}
    return [Scenario.from_json(dict(doc, id=f"bench-{i:04d}", faults={}, request=dict(doc["request"], body=body)),
                               f"<bench>:{i}") for i in range(n)]


class SharedProxyRun(LiveRun):
    """A LiveRun whose batches run on one proxy started beforehand (and left running)."""

    def __init__(self, settings: Settings, oracle: Oracle, scenarios: list[Scenario], proxy: Proxy, answers):
        super().__init__(settings, oracle, scenarios)
        self.shared, self.answers, self.upstream = proxy, answers, proxy.upstream

    def _launch(self, config: dict, register_keys: bool = True) -> Proxy:
        return self.shared

    def _stop_proxy(self, proxy) -> None:
        pass


def _threads(n: int, k: int, fn) -> None:
    """Runs fn(i) for i < n on k threads."""
    nxt = iter(range(n))
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            fn(i)

    ts = [threading.Thread(target=worker) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class Meter:
    """Wall time, this process's CPU and the proxy's CPU over one measurement."""

    def __init__(self, proxy_pid: int):
        self.pid = proxy_pid

    def __enter__(self):
        self.t, self.cpu, self.pcpu = time.perf_counter(), time.process_time(), _cpu_of(self.pid)
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t
        self.own = time.process_time() - self.cpu
        self.proxy = _cpu_of(self.pid) - self.pcpu


def loadgen(url: str, body: str, headers: dict, connections: int, seconds: float) -> dict:
    cmd = [sys.executable, "-m", "routecheck_live.loadgen", url, "--body", body, "--connections", str(connections),
           "--seconds", str(seconds), "--warmup", "1"]
    for k, v in headers.items():
        cmd += ["--header", f"{k}: {v}"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 60)
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench-harness")
    ap.add_argument("--version", default="1.82.3")
    ap.add_argument("-n", type=int, default=200, help="scenarios (requests) per round")
    ap.add_argument("-k", "--concurrency", type=int, default=8)
    ap.add_argument("-r", "--rounds", type=int, default=7)
    ap.add_argument("--load-seconds", type=float, default=3.0, help="seconds per load-generator measurement")
    ap.add_argument("--load-rounds", type=int, default=3)
    ap.add_argument("--oracle")
    args = ap.parse_args(argv)

    scenarios = bench_scenarios(args.n)
    oracle = Oracle.find(args.oracle)
    [batch] = plan_batches(scenarios, slots=lambda sc: 3 if cooldowns_on(sc) else 1)
    print(f"bench-harness: litellm {args.version}, {args.n} scenarios per round x {args.rounds} rounds, "
          f"concurrency {args.concurrency}, {os.cpu_count()} CPUs; each request: model=backup -> backup-1 "
          f"answers 200 (one upstream call), namespaced as `run` batches them "
          f"({len(batch.config['model_list'])} deployments in the proxy)")
    print("  harness  = run's batch path: K threads (Session each), plan, marker, replay, upstream record, "
          "namespace mapping, verdict, results, report writes")
    print("  baseline = K threads (a default requests.Session each) posting the same prebuilt requests and "
          "reading the answers")
    print("             (the harness's sessions skip requests' proxy/netrc environment lookups for a loopback "
          "proxy: trust_env off)")
    print("  both against the same proxy and fake upstream (in this process for both); rounds interleaved, "
          "alternating which goes first")
    t = time.perf_counter()
    with Proxy.launch(args.version, batch.config) as proxy:
        print(f"  proxy ready in {time.perf_counter() - t:.1f}s (not timed)")
        t = time.perf_counter()
        answers = ask_oracle(oracle, scenarios, PROFILE, {}, proxy.upstream.port)
        print(f"  oracle: {time.perf_counter() - t:.2f}s for {args.n} scenarios (one call per run, before any "
              f"proxy starts; not in the per-request figures)")
        report_dir = Path(tempfile.mkdtemp(prefix="routecheck-bench-"))
        slot0 = [batch.slots_of(m.id)[0].scenario for m in batch.members]
        pid = proxy.process.pid
        verdicts: dict[str, int] = {}

        def harness_round() -> Meter:
            settings = Settings(profile=PROFILE, version=args.version, concurrency=args.concurrency,
                                report_dir=report_dir, log=lambda m: None)
            run = SharedProxyRun(settings, oracle, scenarios, proxy, answers)
            with Meter(pid) as m:
                run._run_batch(batch)
                run._write(force=True)
            for r in run.report.results:
                verdicts[r.verdict.value] = verdicts.get(r.verdict.value, 0) + 1
            return m

        def baseline_round() -> Meter:
            prepared = []
            for m in batch.members:
                url, headers, body = Replayer(proxy.url, proxy.master_key, None).request_for(
                    slot0[len(prepared)], new_run_id(m.id))
                prepared.append((url, headers, json.dumps(body)))
            local = threading.local()

            def one(i):
                if not hasattr(local, "s"):
                    local.s = requests.Session()
                url, headers, data = prepared[i]
                local.s.post(url, data=data, headers=headers, timeout=60).content

            with Meter(pid) as m:
                _threads(len(prepared), args.concurrency, one)
            return m

        harness_round()                                    # warm-up (connections, caches), not counted
        baseline_round()
        rows: dict[str, list[Meter]] = {"harness": [], "baseline": []}
        for rnd in range(args.rounds):
            order = ("harness", "baseline") if rnd % 2 == 0 else ("baseline", "harness")
            for name in order:
                rows[name].append(harness_round() if name == "harness" else baseline_round())
            h, b = rows["harness"][-1], rows["baseline"][-1]
            print(f"  round {rnd + 1} ({order[0]} first): harness {args.n / h.wall:6.1f}/s, "
                  f"baseline {args.n / b.wall:6.1f}/s, ratio {b.wall / h.wall:.2f}")

        # --- fake upstream vs proxy, with a load generator in its own process ------------------------
        dep = slot0[0].config["model_list"][1]["model_info"]["id"]            # the namespaced backup-1
        fake_key = next(k for k, v in proxy.wire.keys.items() if dep in v)
        up_body = json.dumps({"model": dep, "messages": [{"role": "user", "content": "ping [rc:load.0]"}]})
        up_body = up_body.replace("load.0", "load.{n}")
        url, headers, body = Replayer(proxy.url, proxy.master_key, None).request_for(slot0[0], "loadp.0")
        px_body = json.dumps(body).replace("loadp.0", "loadp.{n}")
        px_headers = {k: v for k, v in headers.items()
                      if v is not None and v != NO_USER_AGENT and k.lower() != "content-type"}
        load: dict[str, list[tuple[dict, float]]] = {"upstream": [], "proxy": []}
        for _ in range(args.load_rounds):
            c0 = time.process_time()
            r = loadgen(f"{proxy.upstream.api_base(dep)}/chat/completions", up_body,
                        {"Authorization": f"Bearer {fake_key}"}, args.concurrency, args.load_seconds)
            load["upstream"].append((r, (time.process_time() - c0) / (args.load_seconds + 1)))
            p0 = _cpu_of(pid)
            r = loadgen(url, px_body, px_headers, args.concurrency, args.load_seconds)
            load["proxy"].append((r, (_cpu_of(pid) - p0) / (args.load_seconds + 1)))
            proxy.upstream._calls.clear()                                       # the generator's records

    med = lambda xs: statistics.median(xs)  # noqa: E731
    h_rate = med([args.n / m.wall for m in rows["harness"]])
    b_rate = med([args.n / m.wall for m in rows["baseline"]])
    ratio = med([b.wall / h.wall for h, b in zip(rows["harness"], rows["baseline"])])
    up_rate = med([r["rate"] for r, _ in load["upstream"]])
    px_rate = med([r["rate"] for r, _ in load["proxy"]])
    print()
    print(f"  {'path':<44} {'median req/s':>12} {'client CPU ms/req':>18} {'proxy CPU share':>16}")
    for name, rate in (("harness (run's batch path)", h_rate), ("requests.Session loop", b_rate)):
        ms = med([m.own / args.n * 1000 for m in rows[name.split()[0] if name.startswith("harness") else "baseline"]])
        share = med([m.proxy / m.wall for m in rows["harness" if name.startswith("harness") else "baseline"]])
        print(f"  {name:<44} {rate:>12.1f} {ms:>18.2f} {share:>16.2f}")
    gen_up = med([r["cpu_share"] for r, _ in load["upstream"]])
    srv_up = med([s for _, s in load["upstream"]])
    gen_px = med([r["cpu_share"] for r, _ in load["proxy"]])
    srv_px = med([s for _, s in load["proxy"]])
    print(f"  {'fake upstream, load generator (' + str(args.concurrency) + ' conns)':<44} {up_rate:>12.1f}"
          f"   server CPU share {srv_up:.2f}, generator {gen_up:.2f}")
    print(f"  {'proxy, same load generator':<44} {px_rate:>12.1f}"
          f"   proxy CPU share {srv_px:.2f}, generator {gen_px:.2f}")
    proxy_rate = max(px_rate, b_rate)
    print()
    print(f"  harness / baseline = {ratio:.2f} (median of per-round ratios; ratio of medians "
          f"{h_rate / b_rate:.2f}); target >= 0.90")
    print(f"  fake upstream / proxy = {up_rate / proxy_rate:.1f}x (proxy rate: the higher of the load generator's "
          f"and the Session loop's); target >= 5x")
    print(f"  verdicts: {verdicts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
