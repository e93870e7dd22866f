"""``routecheck-live gate``: the CI regression gate (issue 4).

    code = Gate(settings, oracle).execute()

Steps: ``routecheck lint`` on the user's config (its error findings are checks too, and their
witness scenarios are replayed), the curated corpus, a deterministic subset of the spec-coverage
corpus, a seeded generated batch (``routecheck gen``, with the user's config held fixed when given),
all in one live run; then every verdict is compared with the expectation file. Exit 1 only on a
change (an unlisted FAIL, a listed FAIL that now passes, a listed FAIL whose label changed); known
FAILs print as ``known:`` lines; INDETERMINATE and UNSUPPORTED print as warnings with counts.
Exit 2 on bad input (naming file and field); 3 when nothing could be judged (target unusable).
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .expectations import LINT_PREFIX, Check, Expectations, check_one, judge
from .oracle import Oracle, OracleError
from .report import write_atomic
from .runner import LiveRun, Settings
from .scenario import Scenario, ScenarioError

REPO = Path(__file__).resolve().parent.parent.parent
CURATED = REPO / "corpus" / "scenarios"
SPEC_COVERAGE = REPO / "corpus" / "spec-coverage"
EXIT_OK, EXIT_CHANGE, EXIT_INPUT, EXIT_TARGET = 0, 1, 2, 3


class GateInputError(ValueError):
    """Bad gate input (exit 2); the message names the file and field."""


@dataclass
class GateSettings:
    profile: str
    expectations: Path
    version: str | None = None
    target: str | None = None
    master_key: str = ""
    config: Path | None = None
    extra_scenarios: list[str] = field(default_factory=list)
    curated: bool = True
    size: int | None = None              # spec-coverage subset (None: all of the profile's files)
    generate: int = 20
    seed: int = 1
    update: bool = False
    report_dir: Path = Path("reports/gate")
    junit: Path | None = None
    reruns: int = 2
    concurrency: int = 8
    shrink_budget_s: float = 0.0
    preflight: bool = True
    log: object = field(default=lambda m: print(m, file=sys.stderr, flush=True))


def stable_subset(scenarios: list[Scenario], size: int | None) -> list[Scenario]:
    """``size`` scenarios chosen by the SHA-256 of their ids: the same ones on every machine and run,
    and mostly the same ones when the corpus grows."""
    if size is None or size >= len(scenarios):
        return scenarios
    ranked = sorted(scenarios, key=lambda s: hashlib.sha256(s.id.encode()).hexdigest())
    keep = {s.id for s in ranked[:size]}
    return [s for s in scenarios if s.id in keep]


def for_profile(scenarios: list[Scenario], profile: str) -> list[Scenario]:
    """A corpus scenario written for another profile is not this target's (its options may not exist)."""
    return [s for s in scenarios if s.profile in (None, profile)]


@dataclass
class LintOutcome:
    checks_input: list[tuple[str, str, str]]   # (key, rule, message) of each error finding
    warnings: list[str]
    witnesses: list[Scenario]


def run_lint(oracle: Oracle, config: Path, profile: str) -> LintOutcome:
    cmd = [oracle.path, "lint", "--config", str(config), "--profile", profile, "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode == 2:
        raise GateInputError(proc.stderr.strip() or f"{config}: lint refused the config")
    if proc.returncode not in (0, 1):
        raise OracleError(f"`{' '.join(cmd)}` exited {proc.returncode}: {proc.stderr[-1000:]}")
    try:
        findings = json.loads(proc.stdout or "[]")
    except ValueError as e:
        raise OracleError(f"`{' '.join(cmd)}` printed no JSON: {e}") from None
    errors, warnings, witnesses, seen = [], [], [], set()
    for f in findings:
        text = f"{f.get('rule')} at {f.get('path')}: {f.get('message')}"
        if f.get("severity") == "error":
            errors.append((f"{LINT_PREFIX}{f.get('rule')}:{f.get('path')}", f.get("rule"), f.get("message")))
        else:
            warnings.append(f"lint {f.get('severity')}: {text}")
        w = f.get("witness")
        if isinstance(w, dict) and w.get("id") not in seen:
            seen.add(w.get("id"))
            witnesses.append(Scenario.from_json(w, f"{config} (lint witness of {f.get('rule')})"))
    return LintOutcome(errors, warnings, witnesses)


def generated(oracle: Oracle, profile: str, seed: int, count: int, config: Path | None) -> list[Scenario]:
    if count <= 0:
        return []
    cmd = [oracle.path, "gen", "--seed", str(seed), "--count", str(count), "--live-safe", "--profile", profile]
    if config:
        cmd += ["--config", str(config)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode == 2:
        raise GateInputError(proc.stderr.strip())
    if proc.returncode != 0:
        raise OracleError(f"`{' '.join(cmd)}` exited {proc.returncode}: {proc.stderr[-1000:]}")
    out = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if line.strip():
            doc = json.loads(line)
            if config:      # not the same scenarios as gen without a config: keep their ids apart
                doc["id"] = f"cfg-{doc['id']}"
            out.append(Scenario.from_json(doc, f"<gen seed {seed}{' --config ' + str(config) if config else ''}>:{n}"))
    return out


MAX_DURATION_S = 30.0


def slowest(ans: dict) -> float:
    outs = list(ans.get("outcomes") or [])
    for alt in ans.get("alternatives") or []:
        outs += alt.get("outcomes") or []
    return max([float(o.get("max_duration_s") or 0.0) for o in outs] or [0.0])


def oracle_accepts(oracle: Oracle, scenarios: list[Scenario], profile: str,
                   max_duration_s: float = MAX_DURATION_S) -> tuple[list[Scenario], list[str]]:
    """Drops corpus scenarios the oracle refuses as input (a corpus bug) and those whose slowest
    predicted outcome takes longer than ``max_duration_s`` (fuzzer-made scenarios are not live-safe:
    timeouts and Retry-After waits can add up to hours); each is reported as a warning, so that one
    bad or slow file cannot stop or stall the gate."""
    if not scenarios:
        return [], []
    lines = [dict({k: v for k, v in s.to_json().items() if k != "expected"}, profile=profile) for s in scenarios]
    keep, dropped = [], []
    for s, ans in zip(scenarios, oracle.ask(lines)):
        err = ans.get("error")
        if err:
            dropped.append(f"{s.source}: {err.get('field', '?')}: {err.get('message', '')}")
        elif slowest(ans) > max_duration_s:
            dropped.append(f"{s.source}: not live-safe: its slowest predicted outcome takes {slowest(ans):.0f} s "
                           f"(limit {max_duration_s:.0f} s)")
        else:
            keep.append(s)
    return keep, dropped


class Gate:
    def __init__(self, settings: GateSettings, oracle: Oracle):
        self.s = settings
        self.oracle = oracle
        self.warnings: list[str] = []

    def _load_expectations(self) -> Expectations:
        s = self.s
        target = f"litellm {s.version}" if s.version else str(s.target)
        if not s.expectations.exists():
            if s.update:
                return Expectations.empty(target, s.profile)
            raise GateInputError(f"{s.expectations}: (file): no such expectation file; create it after "
                                 f"review with --update-expectations")
        exp = Expectations.load(s.expectations)
        if exp.profile != s.profile:
            raise GateInputError(f"{s.expectations}: profile: the file is for {exp.profile!r}, the target "
                                 f"runs {s.profile!r}")
        return exp

    def scenarios(self) -> tuple[list[Scenario], list[tuple[str, str, str]]]:
        s = self.s
        lint_errors: list[tuple[str, str, str]] = []
        out: list[Scenario] = []
        if s.config:
            t = time.monotonic()
            lint = run_lint(self.oracle, s.config, s.profile)
            lint_errors = lint.checks_input
            self.warnings += lint.warnings
            out += lint.witnesses
            s.log(f"gate: lint {s.config}: {len(lint_errors)} error(s), {len(lint.warnings)} other finding(s), "
                  f"{len(lint.witnesses)} witness scenario(s) ({time.monotonic() - t:.1f}s)")
        corpus: list[Scenario] = []
        if s.curated:
            corpus += Scenario.load_all([CURATED])      # replayed under the target's profile
        if s.extra_scenarios:
            corpus += Scenario.load_all(s.extra_scenarios)
        corpus, dropped = oracle_accepts(self.oracle, corpus, s.profile)
        if s.size != 0:
            # filtered first, then the subset: --size N gives N runnable scenarios, a prefix of N+1's
            spec, spec_dropped = oracle_accepts(
                self.oracle, for_profile(Scenario.load_all([SPEC_COVERAGE]), s.profile), s.profile)
            corpus += stable_subset(spec, s.size)
            if spec_dropped:
                self.warnings.append(f"{len(spec_dropped)} spec-coverage file(s) of this profile not run "
                                     f"(refused by the oracle or not live-safe); the first: {spec_dropped[0]}")
        for d in dropped:
            self.warnings.append(f"skipped: {d}")
        out += corpus
        out += generated(self.oracle, s.profile, s.seed, s.generate, s.config)
        seen: dict[str, str] = {}
        uniq = []
        for sc in out:
            if sc.id in seen:
                raise ScenarioError(sc.source, "id", f"duplicate id {sc.id!r} (also in {seen[sc.id]})")
            seen[sc.id] = sc.source
            uniq.append(sc)
        return uniq, lint_errors

    def execute(self) -> int:
        s = self.s
        t0 = time.monotonic()
        exp = self._load_expectations()
        scenarios, lint_errors = self.scenarios()
        s.log(f"gate: {len(scenarios)} scenarios against "
              f"{'litellm ' + s.version if s.version else s.target} ({s.profile}); expectations {s.expectations}")
        run_dir = s.report_dir
        settings = Settings(profile=s.profile, version=s.version, target=s.target, master_key=s.master_key,
                            reruns=s.reruns, concurrency=s.concurrency, alone_share=0.0,
                            shrink_budget_s=s.shrink_budget_s, preflight=s.preflight, report_dir=run_dir,
                            junit=run_dir / "junit.xml", seed=s.seed, log=s.log)
        code = LiveRun(settings, self.oracle, scenarios).execute() if scenarios else 0
        if code == 130:
            return 130
        results = json.loads((run_dir / "results.json").read_text())["results"] if scenarios else []
        checks = [check_one(key, "FAIL", rule, msg, exp) for key, rule, msg in lint_errors]
        ran = {key for key, _, _ in lint_errors}
        if s.config:
            # lint entries of the file that lint no longer reports are stale
            for key, e in exp.failures.items():
                if key.startswith(LINT_PREFIX) and key not in ran:
                    checks.append(check_one(key, "PASS", e.label, e.first_divergence, exp))
        checks += judge(results, exp)
        wall = time.monotonic() - t0
        summary = self._summarize(checks, wall)
        live_judged = sum(1 for r in results if r["verdict"] in ("PASS", "FAIL"))
        if scenarios and live_judged == 0:
            print("gate: no scenario could be judged against the target (see the warnings above)"
                  + ("; the expectation file is left as it was" if s.update else ""), flush=True)
            return EXIT_TARGET
        if s.update:
            ran_ids = {c.id for c in checks}
            exists = self._still_exists()
            gone = [k for k in exp.failures if k not in ran_ids and k not in exists
                    and not k.startswith(("gen-", "cfg-gen-", LINT_PREFIX, "lint-"))]
            for k in gone:
                s.log(f"gate: dropping {k}: no such scenario in the corpus any more")
            exp.failures = {k: v for k, v in exp.failures.items() if k not in gone}
            new = exp.updated(checks, self._covers(exp))
            new.save(s.expectations)
            s.log(f"gate: wrote {s.expectations} ({len(new.failures)} expected failure(s)); review the diff")
            return EXIT_OK
        return EXIT_CHANGE if summary["changes"] else EXIT_OK

    def _covers(self, exp: Expectations) -> dict:
        """What the file has now been reviewed on: this run (a re-exported spec-coverage corpus makes an
        older, larger coverage meaningless)."""
        s = self.s
        return {"spec_coverage_size": s.size, "generate": s.generate, "seed": s.seed}

    def _still_exists(self) -> set[str]:
        """Ids an entry not run this time may still refer to: every corpus file (both profiles)."""
        ids = set()
        for d in (CURATED, SPEC_COVERAGE):
            ids |= {p.stem for p in Path(d).glob("*.json")}
            try:
                ids |= {sc.id for sc in Scenario.load_all([d])}
            except ScenarioError:
                pass
        return ids

    # --- output ---------------------------------------------------------------------------------
    def _summarize(self, checks: list[Check], wall: float) -> dict:
        s = self.s
        count = {k: sum(1 for c in checks if c.kind == k)
                 for k in ("pass", "known", "new", "stale", "changed", "indeterminate", "unsupported")}
        changes = [c for c in checks if c.is_change]
        judged = count["pass"] + count["known"] + count["new"] + count["stale"] + count["changed"]
        for c in checks:
            if c.kind in ("known", "new", "stale", "changed"):
                print(c.line(), flush=True)
        for c in checks:
            if c.kind in ("indeterminate", "unsupported"):
                print(c.line(), flush=True)
        for w in self.warnings:
            print(f"warning: {w}", flush=True)
        if count["indeterminate"] or count["unsupported"]:
            print(f"warning: {count['indeterminate']} INDETERMINATE and {count['unsupported']} UNSUPPORTED "
                  f"result(s); they are never counted as PASS", flush=True)
        verdict = "CHANGED" if changes else ("NOTHING JUDGED" if judged == 0 else "no change")
        line = (f"gate: {verdict}: {count['pass']} pass, {count['known']} known, {count['new']} new, "
                f"{count['stale']} stale, {count['changed']} changed, {count['indeterminate']} indeterminate, "
                f"{count['unsupported']} unsupported ({wall:.0f}s)")
        print(line, flush=True)
        summary = dict(count, changes=len(changes), judged=judged, wall_s=round(wall, 1), verdict=verdict)
        doc = {"target": f"litellm {s.version}" if s.version else s.target, "profile": s.profile,
               "expectations": str(s.expectations), "summary": summary, "warnings": self.warnings,
               "checks": [{"id": c.id, "kind": c.kind, "label": c.label, "first_divergence": c.first_divergence,
                           "reason": c.reason, "minimized": c.minimized} for c in checks if c.kind != "pass"]}
        write_atomic(s.report_dir / "gate.json", json.dumps(doc, indent=2) + "\n")
        write_atomic(s.report_dir / "gate.md", self._markdown(checks, line))
        write_atomic(s.junit or s.report_dir / "gate-junit.xml", self._junit(checks))
        return summary

    def _markdown(self, checks: list[Check], line: str) -> str:
        s = self.s
        out = [f"# routecheck gate: {'litellm ' + s.version if s.version else s.target} ({s.profile})", "",
               f"Expectations: `{s.expectations}`. {line.split(': ', 1)[1]}", "",
               "Green means nothing changed, not that nothing is wrong. Details and reproducers of every "
               "FAIL: `summary.md`.", ""]
        for title, kinds in (("Changes", ("new", "stale", "changed")), ("Known", ("known",)),
                             ("Warnings", ("indeterminate", "unsupported"))):
            sel = [c for c in checks if c.kind in kinds]
            if sel or (title == "Warnings" and self.warnings):
                out += [f"## {title}", ""] + [f"- {c.line()}" for c in sel]
                if title == "Warnings":
                    out += [f"- {w}" for w in self.warnings]
                out.append("")
        return "\n".join(out) + "\n"

    def _junit(self, checks: list[Check]) -> str:
        s = self.s
        suite = ET.Element("testsuite", name=f"routecheck gate {s.version or s.target}", tests=str(len(checks)),
                           failures=str(sum(c.is_change for c in checks)),
                           skipped=str(sum(c.kind in ("known", "indeterminate", "unsupported") for c in checks)))
        for c in checks:
            case = ET.SubElement(suite, "testcase", classname=f"gate.{s.profile}", name=c.id)
            if c.is_change:
                ET.SubElement(case, "failure", message=c.line())
            elif c.kind != "pass":
                ET.SubElement(case, "skipped", message=c.line())
        ET.indent(suite)
        return ET.tostring(suite, encoding="unicode") + "\n"
