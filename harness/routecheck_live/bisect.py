"""``routecheck-live bisect --scenario FILE --good V1 --bad V2``: which release changed a verdict.

Binary search over the LiteLLM releases between V1 and V2 (either may be the older) that exist on PyPI
as final releases with files. Each release tested gets a hash lock made on the fly by
``scripts/lock-litellm`` into ``${XDG_CACHE_HOME:-~/.cache}/routecheck/locks`` (the repository's locks
are used where they exist) and a cached venv; the scenario is replayed live and judged by the oracle
(``--profile``, default litellm-1.82). PASS is good, FAIL is bad; a release that cannot be locked,
installed or started, or whose run is INDETERMINATE/UNSUPPORTED, is *untestable* and skipped (like
``git bisect skip``), never counted as good or bad.

Denylist (harness/locks/denylist.txt: 1.82.7, 1.82.8): a denylisted release is never locked or
installed. An endpoint on the denylist is refused. A range that crosses one is refused too, unless
``--skip-denylisted`` says to bisect without those releases; the answer then names the denylisted
releases that lie between the last release on one side and the first on the other, if any, because
the change may have happened in one of them.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .launcher import DENYLIST, cache_locks_dir, denylisted_versions, lock_path, LOCKS_DIR

PYPI_JSON = "https://pypi.org/pypi/litellm/json"
REPO = Path(__file__).resolve().parent.parent.parent
FINAL = re.compile(r"[0-9]+(\.[0-9]+)*")


class BisectInputError(ValueError):
    """Bad bisect input (exit 2)."""


def vkey(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def final_releases(pypi_doc: dict) -> list[str]:
    """Final releases (no pre/post/dev) with at least one file that is not yanked, oldest first."""
    out = []
    for v, files in (pypi_doc.get("releases") or {}).items():
        if FINAL.fullmatch(v) and any(not f.get("yanked") for f in files or []):
            out.append(v)
    return sorted(out, key=vkey)


def fetch_releases() -> list[str]:
    import requests
    try:
        r = requests.get(PYPI_JSON, timeout=30)
        r.raise_for_status()
        return final_releases(r.json())
    except (requests.RequestException, ValueError) as e:
        raise BisectInputError(f"{PYPI_JSON}: cannot list litellm releases: {e}") from None


@dataclass
class Plan:
    versions: list[str]            # oldest first, endpoints included, denylisted removed
    old_state: str                 # "good" or "bad": the state of the older endpoint
    skipped_denylisted: list[str]


def plan_range(releases: list[str], good: str, bad: str, denied: set[str], skip_denylisted: bool) -> Plan:
    for flag, v in (("--good", good), ("--bad", bad)):
        if not FINAL.fullmatch(v):
            raise BisectInputError(f"{flag} {v!r}: expected a final release number like 1.82.3")
        if v in denied:
            raise BisectInputError(f"{flag} {v}: denylisted in {DENYLIST} (compromised release); never installed")
        if v not in releases:
            raise BisectInputError(f"{flag} {v}: not a final litellm release with files on PyPI")
    if good == bad:
        raise BisectInputError(f"--good and --bad are both {good}")
    lo, hi = sorted((good, bad), key=vkey)
    crossing = sorted((d for d in denied if FINAL.fullmatch(d) and vkey(lo) < vkey(d) < vkey(hi)), key=vkey)
    if crossing and not skip_denylisted:
        raise BisectInputError(
            f"the range {lo}..{hi} crosses denylisted release(s) {', '.join(crossing)} ({DENYLIST}); they are "
            f"never installed, so the boundary could lie in them: pass --skip-denylisted to bisect without "
            f"them, or choose a range that does not cross them")
    versions = [v for v in releases if vkey(lo) <= vkey(v) <= vkey(hi) and v not in denied]
    return Plan(versions, "good" if lo == good else "bad", crossing)


@dataclass
class Step:
    version: str
    state: str                      # good | bad | untestable
    verdict: str                    # PASS | FAIL | INDETERMINATE | UNSUPPORTED | (why untestable)
    label: str | None = None
    first_divergence: str | None = None
    seconds: float = 0.0


def search(plan: Plan, test) -> tuple[list[Step], int, int, list[str]]:
    """Binary search with skips. ``test(version) -> Step``. Returns (steps, lo, hi, untestable) where
    versions[lo] has the older endpoint's state, versions[hi] the other state, adjacent but for the
    untestable ones between them. Endpoints are tested first; a wrong endpoint raises EndpointError."""
    vs = plan.versions
    new_state = "bad" if plan.old_state == "good" else "good"
    steps: list[Step] = []
    for idx, want in ((0, plan.old_state), (len(vs) - 1, new_state)):
        st = test(vs[idx])
        steps.append(st)
        if st.state != want:
            raise EndpointError(st, want)
    lo, hi = 0, len(vs) - 1
    untestable: set[int] = set()
    while True:
        cands = [i for i in range(lo + 1, hi) if i not in untestable]
        if not cands:
            break
        mid = (lo + hi) / 2
        i = min(cands, key=lambda c: (abs(c - mid), c))
        st = test(vs[i])
        steps.append(st)
        if st.state == "untestable":
            untestable.add(i)
        elif st.state == plan.old_state:
            lo = i
        else:
            hi = i
    return steps, lo, hi, [vs[i] for i in sorted(untestable) if lo < i < hi]


class EndpointError(RuntimeError):
    def __init__(self, step: Step, want: str):
        super().__init__(f"litellm {step.version} was given as {want} but is {step.state} ({step.verdict})")
        self.step, self.want = step, want


def ensure_lock(version: str, log) -> str | None:
    """None when a lock exists or was made; else why the release cannot be locked."""
    if lock_path(version, LOCKS_DIR).is_file() or lock_path(version, cache_locks_dir()).is_file():
        return None
    log(f"bisect: making a hash lock for litellm {version} (scripts/lock-litellm)")
    env = dict(os.environ, ROUTECHECK_LOCK_DIR=str(cache_locks_dir()))
    proc = subprocess.run([str(REPO / "scripts" / "lock-litellm"), version], env=env, capture_output=True,
                          text=True, timeout=1800)
    if proc.returncode != 0:
        lines = (proc.stdout + proc.stderr).strip().splitlines() or ["(no output)"]
        why = next((l.strip() for l in reversed(lines)
                    if re.search(r"No matching distribution|ResolutionImpossible|ERROR|lock-litellm:", l)), lines[-1])
        why = why.replace("pip._internal.exceptions.DistributionNotFound: ", "")
        return f"cannot lock litellm[proxy]=={version} from this index: {why[:400]}"
    return None


class Bisector:
    def __init__(self, scenario_path: Path, profile: str, reruns: int, report_dir: Path, oracle, log=None):
        from .scenario import Scenario
        self.scenarios = Scenario.load(scenario_path)
        if len(self.scenarios) != 1:
            raise BisectInputError(f"{scenario_path}: expected one scenario, got {len(self.scenarios)}")
        self.profile, self.reruns, self.report_dir, self.oracle = profile, reruns, report_dir, oracle
        self.log = log or (lambda m: print(m, file=sys.stderr, flush=True))
        self.n = 0

    def test(self, version: str) -> Step:
        from .runner import LiveRun, Settings
        t0 = time.monotonic()
        self.n += 1
        why = ensure_lock(version, self.log)
        if why:
            st = Step(version, "untestable", why, seconds=time.monotonic() - t0)
        else:
            out = self.report_dir / f"litellm-{version}"
            quiet = lambda m: None  # noqa: E731 - the step line below says what matters
            s = Settings(profile=self.profile, version=version, reruns=self.reruns, alone_share=0.0,
                         shrink_budget_s=0.0, preflight=False, report_dir=out, log=quiet)
            LiveRun(s, self.oracle, self.scenarios).execute()
            r = json.loads((out / "results.json").read_text())["results"][0]
            state = {"PASS": "good", "FAIL": "bad"}.get(r["verdict"], "untestable")
            st = Step(version, state, r["verdict"] if state != "untestable"
                      else f"{r['verdict']}: {(r.get('reason') or '')[:300]}",
                      r.get("label"), r.get("first_divergence"), time.monotonic() - t0)
        detail = f" ({st.label})" if st.label else ""
        detail += f": {st.first_divergence}" if st.first_divergence else ""
        print(f"step {self.n}: litellm {version}: {st.state} — {st.verdict}{detail} [{st.seconds:.0f}s]", flush=True)
        return st


def run_bisect(args) -> int:
    from .oracle import Oracle
    t0 = time.monotonic()
    if args.reruns < 1:
        raise BisectInputError(f"--reruns {args.reruns}: expected at least 1")
    scenario = Path(args.scenario)
    if not scenario.is_file():
        raise BisectInputError(f"{scenario}: (file): no such scenario file")
    plan = plan_range(fetch_releases(), args.good, args.bad, denylisted_versions(), args.skip_denylisted)
    oracle = Oracle.find(args.oracle)
    b = Bisector(scenario, args.profile, args.reruns, Path(args.report), oracle)
    print(f"bisect: {len(plan.versions)} releases from {plan.versions[0]} ({plan.old_state}) to "
          f"{plan.versions[-1]}; profile {args.profile}"
          + (f"; denylisted, skipped: {', '.join(plan.skipped_denylisted)}" if plan.skipped_denylisted else ""),
          flush=True)
    try:
        steps, lo, hi, untestable = search(plan, b.test)
    except EndpointError as e:
        print(f"bisect: {e}; nothing to bisect", flush=True)
        return 3 if e.step.state == "untestable" else 1
    by_version = {s.version: s for s in steps}
    first = plan.versions[hi]
    word = "first bad" if plan.old_state == "good" else "first good"
    fail_step = by_version[first] if plan.old_state == "good" else by_version[plan.versions[lo]]
    between_denied = [d for d in plan.skipped_denylisted
                      if vkey(plan.versions[lo]) < vkey(d) < vkey(first)]
    elapsed = time.monotonic() - t0
    tested = sum(1 for s in steps if s.state != "untestable")
    summary = {"scenario": str(scenario), "profile": args.profile, "word": word, "release": first,
               "last_other": plan.versions[lo], "untestable_between": untestable,
               "denylisted_between": between_denied, "fail_at": fail_step.version,
               "fail_label": fail_step.label, "fail_first_divergence": fail_step.first_divergence,
               "steps": [s.__dict__ for s in steps], "tested": tested, "seconds": round(elapsed, 1)}
    from .report import write_atomic
    write_atomic(Path(args.report) / "bisect.json", json.dumps(summary, indent=2) + "\n")
    if untestable or between_denied:
        maybe = untestable + between_denied
        print(f"{word}: {first} or one of the untested releases before it: {', '.join(maybe)} "
              f"(last {plan.old_state}: {plan.versions[lo]})", flush=True)
    else:
        print(f"{word}: {first} (last {plan.old_state}: {plan.versions[lo]})", flush=True)
    print(f"FAIL at litellm {fail_step.version}" + (f" ({fail_step.label})" if fail_step.label else "")
          + f": {fail_step.first_divergence}", flush=True)
    print(f"bisect: {len(steps)} steps ({tested} tested) in {elapsed:.0f}s; report {args.report}/bisect.json",
          flush=True)
    return 0 if not (untestable or between_denied) else 3
