"""Runs probe scenarios against a live LiteLLM and prints what happened, one JSON line a run.

    python -m routecheck_live.probe 1.82.3 harness/probes/ [--repeat N] [--out FILE]

Probes sharing a config share one proxy start. Used to confirm the semantics file's unverified points
(docs/confirmed-semantics.md); the runner's pre-flight probes reuse ``run_probes``.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import OrderedDict
from pathlib import Path

from .launcher import Proxy
from .replay import Replayer
from .scenario import Scenario


def group_by_config(scenarios: list[Scenario]) -> "OrderedDict[str, list[Scenario]]":
    groups: OrderedDict[str, list[Scenario]] = OrderedDict()
    for s in scenarios:
        groups.setdefault(json.dumps(s.config, sort_keys=True), []).append(s)
    return groups


def run_probes(version: str, scenarios: list[Scenario], repeat: int = 1, log=None):
    """Yields (scenario, observation, proxy) for every run."""
    for _, members in group_by_config(scenarios).items():
        with Proxy.launch(version, members[0].config, log=log) as proxy:
            replayer = Replayer(proxy.url, proxy.master_key, proxy.upstream, timeout=90)
            for s in members:
                for _ in range(repeat):
                    yield s, replayer.replay(s), proxy


PROBES_DIR = Path(__file__).resolve().parent.parent / "probes"

# Pre-flight checks (harness issue: "before any verdict"): the fault -> exception mapping of
# semantics §11.5 and that the provider SDK does not retry on its own.
PREFLIGHT = {
    "p16-sdk-retries-500": (500, 1, "InternalServerError"),
    "p16-sdk-retries-429": (429, 1, "RateLimitError"),
    "p16-sdk-retries-refused": (500, 1, "Connection error"),
    "p13-single-400": (400, 1, "BadRequestError"),
    "p13-single-502": (502, 2, "BadGatewayError"),
    "p13-single-context_window": (400, 1, "ContextWindowExceededError"),
    "p13-single-content_policy": (400, 1, "ContentPolicyViolationError"),
}


def preflight(version: str, log=None) -> list[str]:
    """Problems found by the pre-flight probes (empty: the target behaves as the semantics assume)."""
    scenarios = [s for name in PREFLIGHT for s in Scenario.load(PROBES_DIR / f"{name}.json")]
    problems = []
    for s, obs, _ in run_probes(version, scenarios, log=log):
        status, calls, text = PREFLIGHT[s.id]
        got = (obs.status, len(obs.upstream_calls))
        if got != (status, calls) or text not in (obs.error_message or ""):
            problems.append(f"{s.id}: expected status {status} after {calls} upstream call(s) with "
                            f"{text!r} in the message; got status {obs.status} after "
                            f"{len(obs.upstream_calls)} call(s): {(obs.error_message or '')[:200]!r}")
    return problems


PREFLIGHT_STAMP = ".routecheck-preflight.json"


def preflight_key(venv) -> str:
    """What the pre-flight result depends on: the lock, the fake upstream, the probes, this table."""
    import hashlib
    h = hashlib.sha256(venv.lock.read_bytes())
    for f in [Path(__file__).with_name("upstream.py")] + [PROBES_DIR / f"{n}.json" for n in sorted(PREFLIGHT)]:
        h.update(f.read_bytes())
    h.update(json.dumps(PREFLIGHT, sort_keys=True).encode())
    return h.hexdigest()


def preflight_cached(version: str, log=None) -> list[str]:
    """``preflight`` once per hash-locked venv: a pass is remembered beside the venv (the venv and the
    harness parts it depends on are immutable under that key); problems are never cached."""
    from .launcher import LiteLLMVenv
    venv = LiteLLMVenv.ensure(version, log=log)
    stamp = venv.path / PREFLIGHT_STAMP
    key = preflight_key(venv)
    try:
        if json.loads(stamp.read_text()).get("key") == key:
            return []
    except (OSError, ValueError, AttributeError):
        pass
    if log:
        log(f"pre-flight: {len(PREFLIGHT)} probes on litellm {version} (once per venv)")
    problems = preflight(version, log=None)
    if not problems:
        stamp.write_text(json.dumps({"key": key, "probes": sorted(PREFLIGHT)}) + "\n")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m routecheck_live.probe")
    ap.add_argument("version")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    scenarios = Scenario.load_all(args.paths)
    out = open(args.out, "a") if args.out else sys.stdout
    for s, obs, proxy in run_probes(args.version, scenarios, args.repeat):
        calls = obs.upstream_calls
        t0 = calls[0].arrived if calls else 0.0
        line = {"version": args.version, "id": s.id, "status": obs.status,
                "calls": [[c.deployment, c.key, c.outcome, round(c.arrived - t0, 3)] for c in calls],
                "headers": {k: v for k, v in obs.headers.items() if k.startswith("x-litellm")},
                "message": obs.error_message, "elapsed": round(obs.elapsed, 3),
                "indeterminate": obs.indeterminate_reason(),
                "body": None if obs.error_message else obs.body_text[:300]}
        out.write(json.dumps(line) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
