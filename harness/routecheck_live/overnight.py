"""``routecheck-live overnight`` (``scripts/overnight``): the fuzzers' nightly mode, then rounds of
generated scenarios replayed live against the chosen LiteLLM releases until the time budget is spent;
a morning report (``morning.md`` + ``morning.json``) merging both.

Live FAILs are deduplicated against ``corpus/expectations/litellm-<version>.json``: a FAIL whose id
is listed there, or whose label and first divergent stage match a labelled entry (a known bug such
as #25276), is known. New ones are
bucketed by first divergent stage (``fallback hop, first attempt: tag filter denied``, ...), one
representative each with its minimized reproducer (the harness's shrinker) and a replay line.

Each phase gets its share of the budget (``--fuzz-share``); a live round started before the deadline
runs to its end (rounds of ``--batch`` scenarios take one to two minutes); a fuzz phase that overruns (scripts/fuzz
first rebuilds stale fuzzers) does not shorten the live phase, and the report says by how much.
Fuzzing: ``scripts/fuzz nightly --hours H`` when the fuzz share of the budget is an hour or more
(its --hours takes whole hours); below that ``scripts/fuzz pr --minutes M``, the same fuzzers with a
minute budget (it stops at the first crash). ``ROUTECHECK_FUZZ_WORK`` is passed through.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .expectations import Expectations, ExpectationError
from .report import now_iso, write_atomic

REPO = Path(__file__).resolve().parent.parent.parent
EXPECTATIONS = REPO / "corpus" / "expectations"

_KINDS = (("denied by tags", "tag filter denied"), ("called no further upstream", "stopped before the next call"),
          ("extra upstream call", "extra upstream call"), ("the proxy called", "called another deployment"),
          ("the proxy answered", "final status differs"), ("x-litellm-model-id", "served-by header differs"),
          ("I-5", "batching changed the verdict"), ("predicts no outcome", "no prediction"))


def stage_of(first_divergence: str | None) -> str:
    """The first divergent stage, without names: where (hop, attempt) and what kind of divergence."""
    fd = first_divergence or ""
    kind = next((k for needle, k in _KINDS if needle in fd), "other")
    m = re.match(r"hop (\d+), attempt (\d+)", fd)
    if not m:
        return f"final response: {kind}" if fd.startswith("final response") else kind
    hop = "first hop" if m.group(1) == "0" else "fallback hop"
    attempt = "first attempt" if m.group(2) == "0" else "retry"
    return f"{hop}, {attempt}: {kind}"


@dataclass
class Finding:
    version: str
    id: str
    label: str | None
    stage: str
    first_divergence: str | None
    reproductions: dict | None
    report_dir: str
    minimized: str | None = None
    replay: str | None = None
    curl: str | None = None
    similar: int = 0            # other FAILs with the same (version, label, stage)

    def key(self) -> tuple:
        return (self.label or "unlabelled", self.stage)


@dataclass
class Known:
    keys: set = field(default_factory=set)
    ids: set = field(default_factory=set)

    @classmethod
    def for_version(cls, version: str) -> "Known":
        path = EXPECTATIONS / f"litellm-{version}.json"
        if not path.exists():
            return cls()
        exp = Expectations.load(path)
        # a labelled entry (a known bug, e.g. "known: #25276") covers its whole (label, stage) class;
        # an unlabelled one only its own scenario id
        return cls({(e.label, stage_of(e.first_divergence)) for e in exp.failures.values() if e.label},
                   set(exp.failures))

    def knows(self, f: Finding) -> bool:
        return f.id in self.ids or f.key() in self.keys


def findings_of(results_json: Path, version: str) -> list[Finding]:
    doc = json.loads(results_json.read_text())
    out = []
    for r in doc["results"]:
        if r["verdict"] != "FAIL":
            continue
        rep = r.get("minimized_reproduce") or r.get("reproduce") or {}
        mini = r.get("minimized")
        if mini and not os.path.isabs(mini):
            mini = str(results_json.parent / mini)
        out.append(Finding(version, r["id"], r.get("label"), stage_of(r.get("first_divergence")),
                           r.get("first_divergence"), r.get("reproductions"), str(results_json.parent), mini,
                           rep.get("replay"), rep.get("curl")))
    return out


def dedupe(findings: list[Finding], known: dict[str, Known]) -> tuple[list[Finding], list[Finding]]:
    """New findings, one per (version, label, stage) with a count of the others; and the known ones."""
    reps: dict[tuple, Finding] = {}
    old: list[Finding] = []
    for f in findings:
        if known[f.version].knows(f):
            old.append(f)
            continue
        k = (f.version,) + f.key()
        if k in reps:
            reps[k].similar += 1
            if not reps[k].minimized and f.minimized:
                f.similar = reps[k].similar
                reps[k] = f
        else:
            reps[k] = f
    return sorted(reps.values(), key=lambda f: (f.stage, f.version, f.id)), old


# --- fuzzing ---------------------------------------------------------------------------------------
def run_fuzz(minutes: float, targets: str, out_dir: Path, log) -> dict:
    if minutes < 1:
        return {"ran": False, "why": "no fuzz budget"}
    if minutes >= 60:
        cmd = [str(REPO / "scripts" / "fuzz"), "nightly", "--hours", str(int(minutes // 60)), "--targets", targets]
    else:
        cmd = [str(REPO / "scripts" / "fuzz"), "pr", "--minutes", str(int(minutes)), "--targets", targets]
    log(f"overnight: {' '.join(['scripts/fuzz'] + cmd[1:])} (log {out_dir / 'fuzz.log'})")
    t0 = time.monotonic()
    logf = out_dir / "fuzz.log"
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(logf, "w") as fh:
        try:
            proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO,
                                  timeout=minutes * 60 + 1800)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = -1
    text = logf.read_text(errors="replace")
    found = []
    for m in re.finditer(r"FOUND by (\S+): (.*)", text):
        replay = re.search(rf"replay: (\S*{re.escape(m.group(1))}_fuzz_replay \S+)", text)
        found.append({"target": m.group(1), "input": m.group(2).strip(),
                      "replay": replay.group(1) if replay else None})
    nightly_md = None
    m = re.search(r"morning report: (\S+)", text)
    if m and Path(m.group(1)).is_file():
        nightly_md = m.group(1)
        md = Path(nightly_md).read_text()
        for sec in re.finditer(r"### (\w+): `([^`]*)`\n\n- input: `([^`]*)`.*?\n- replay: `([^`]*)`", md, re.S):
            found.append({"target": sec.group(1), "key": sec.group(2), "input": sec.group(3),
                          "replay": sec.group(4)})
    regress = re.findall(r"REGRESSION FAILS: (\S+)", text)
    return {"ran": True, "command": " ".join(["scripts/fuzz"] + cmd[1:]), "exit": code,
            "seconds": round(time.monotonic() - t0, 1), "log": str(logf), "nightly_report": nightly_md,
            "findings": found, "failing_regressions": regress,
            "tail": "\n".join(text.strip().splitlines()[-8:])}


# --- live rounds -----------------------------------------------------------------------------------
def run_live(versions: list[str], deadline: float, batch: int, seed: int, out_dir: Path, oracle, log) -> dict:
    from .gate import generated
    from .profile import profile_for
    from .runner import LiveRun, Settings
    rounds: list[dict] = []
    findings: list[Finding] = []
    r = 0
    while time.monotonic() < deadline:
        for v in versions:
            left = deadline - time.monotonic()
            if left <= 30:
                break
            s_seed = seed + r
            profile = profile_for(v)
            scenarios = generated(oracle, profile, s_seed, batch, None)
            rd = out_dir / f"litellm-{v}" / f"seed-{s_seed}"
            t0 = time.monotonic()
            log(f"overnight: live round {r + 1}: litellm {v}, {len(scenarios)} generated (seed {s_seed}), "
                f"{left / 60:.1f} min left")
            st = Settings(profile=profile, version=v, reruns=3, alone_share=0.01,
                          shrink_budget_s=max(0.0, min(300.0, left / 4)), report_dir=rd, seed=s_seed,
                          log=lambda m: None)
            code = LiveRun(st, oracle, scenarios).execute()
            summ = json.loads((rd / "results.json").read_text())["summary"]
            rounds.append({"version": v, "seed": s_seed, "scenarios": len(scenarios), "exit": code,
                           "summary": summ, "seconds": round(time.monotonic() - t0, 1), "report": str(rd)})
            findings += findings_of(rd / "results.json", v)
            if code == 130:
                return {"rounds": rounds, "findings": findings, "interrupted": True}
        r += 1
    return {"rounds": rounds, "findings": findings, "interrupted": False}


# --- the morning report ----------------------------------------------------------------------------
def morning_markdown(doc: dict) -> str:
    out = [f"# routecheck overnight — {doc['started']}", "",
           f"Budget {doc['budget_minutes']:g} min (fuzz {doc['fuzz_minutes']:g}), wall {doc['wall_s'] / 60:.1f} min; "
           f"live releases: {', '.join(doc['versions'])}.", ""]
    fz = doc["fuzz"]
    out += ["## Fuzzing", ""]
    if not fz.get("ran"):
        out += [f"Not run: {fz.get('why')}.", ""]
    else:
        out += [f"`{fz['command']}`: exit {fz['exit']} in {fz['seconds'] / 60:.1f} min; log `{fz['log']}`"
                + (f"; nightly report `{fz['nightly_report']}`" if fz.get("nightly_report") else "") + ".", ""]
        if fz.get("overrun_s", 0) > 60:
            out += [f"The fuzz phase overran its share by {fz['overrun_s'] / 60:.1f} min (scripts/fuzz rebuilds "
                    f"stale fuzzers first); the live phase still had its own share.", ""]
        for f in fz["findings"]:
            out += [f"- **{f['target']}**" + (f" `{f['key']}`" if f.get("key") else "") + f": input `{f['input']}`"
                    + (f"; replay `{f['replay']}`" if f.get("replay") else "")]
        for rg in fz["failing_regressions"]:
            out += [f"- failing regression: `{rg}`"]
        if not fz["findings"] and not fz["failing_regressions"]:
            out += ["No crash, hang or property violation."]
        if fz["exit"] not in (0, 1):
            out += ["", "The fuzz run did not finish normally; its last lines:", "", "```", fz["tail"], "```"]
        out.append("")
    lv = doc["live"]
    out += ["## Live rounds", "", "| release | seed | scenarios | PASS | FAIL | INDETERMINATE | UNSUPPORTED | time |",
            "|---|---|---|---|---|---|---|---|"]
    for r in lv["rounds"]:
        s = r["summary"]
        out.append(f"| {r['version']} | {r['seed']} | {r['scenarios']} | {s['PASS']} | {s['FAIL']} | "
                   f"{s['INDETERMINATE']} | {s['UNSUPPORTED']} | {r['seconds']:.0f}s |")
    out += ["", f"FAILs: {lv['fails']} in all, {lv['known']} known (in the expectation files), "
            f"{len(lv['new'])} new after deduplication.", ""]
    if lv.get("known_findings"):
        out += ["Known (deduplicated against corpus/expectations/):", ""]
        out += [f"- litellm {f['version']}: `{f['id']}`" + (f" ({f['label']})" if f["label"] else "")
                + f" — {f['stage']}" + (f"; minimized `{f['minimized']}`" if f.get("minimized") else "")
                for f in lv["known_findings"]]
        out.append("")
    out += ["## New findings by first divergent stage", ""]
    if not lv["new"]:
        out += ["None.", ""]
    stage = None
    for f in lv["new"]:
        if f["stage"] != stage:
            stage = f["stage"]
            out += [f"### {stage}", ""]
        rep = f.get("reproductions") or {}
        out += [f"- litellm {f['version']}: `{f['id']}`" + (f" ({f['label']})" if f["label"] else "")
                + (f" [{rep.get('k')}/{rep.get('n')}]" if rep else "")
                + (f", and {f['similar']} similar" if f["similar"] else ""),
                f"  - first divergence: {f['first_divergence']}",
                f"  - minimized reproducer: `{f['minimized']}`" if f["minimized"] else
                "  - minimized reproducer: none (the harness minimizes one FAIL per label and status within its "
                "shrink budget); the full scenario is in the round's report",
                f"  - replay: `{f['replay']}`" if f.get("replay") else f"  - report: `{f['report_dir']}`"]
    out.append("")
    return "\n".join(out) + "\n"


def run_overnight(args) -> int:
    from .gate import GateInputError
    from .oracle import Oracle
    from .profile import profile_for
    if args.minutes <= 0:
        raise GateInputError(f"--minutes {args.minutes}: expected a positive budget")
    if not 0 <= args.fuzz_share <= 1:
        raise GateInputError(f"--fuzz-share {args.fuzz_share}: expected a share from 0 to 1")
    if args.batch < 1:
        raise GateInputError(f"--batch {args.batch}: expected at least 1")
    versions = [v.strip() for v in args.versions.split(",") if v.strip()]
    if not versions:
        raise GateInputError("--versions: expected at least one release")
    known = {}
    for v in versions:
        profile_for(v)          # UnknownVersion: exit 2
        try:
            known[v] = Known.for_version(v)
        except ExpectationError as e:
            raise GateInputError(str(e)) from None
    oracle = Oracle.find(args.oracle)
    out = Path(args.report)
    log = lambda m: print(m, flush=True)  # noqa: E731
    t0 = time.monotonic()
    started = now_iso()
    fuzz = run_fuzz(args.minutes * args.fuzz_share, args.fuzz_targets, out, log)
    # each phase gets its share: a fuzz phase that overran (building stale fuzzers comes on top of
    # scripts/fuzz's own budget) does not eat the live share; the report states the overrun
    live_minutes = args.minutes * (1 - args.fuzz_share)
    if fuzz.get("ran"):
        fuzz["overrun_s"] = round(max(0.0, fuzz["seconds"] - args.minutes * args.fuzz_share * 60), 1)
    live = run_live(versions, time.monotonic() + live_minutes * 60, args.batch, args.seed, out / "live", oracle,
                    log)
    new, old = dedupe(live["findings"], known)
    n_known = len(old)
    doc = {"started": started, "finished": now_iso(), "budget_minutes": args.minutes,
           "fuzz_minutes": args.minutes * args.fuzz_share, "wall_s": round(time.monotonic() - t0, 1),
           "versions": versions, "fuzz": fuzz,
           "live": {"rounds": live["rounds"], "fails": len(live["findings"]), "known": n_known,
                    "new": [dict(f.__dict__) for f in new],
                    "known_findings": [dict(f.__dict__) for f in old], "interrupted": live["interrupted"]}}
    write_atomic(out / "morning.json", json.dumps(doc, indent=2) + "\n")
    write_atomic(out / "morning.md", morning_markdown(doc))
    log(f"overnight: morning report {out / 'morning.md'}: {len(fuzz.get('findings', []))} fuzz finding(s), "
        f"{len(new)} new live finding(s), {n_known} known")
    return 1 if new or fuzz.get("findings") or fuzz.get("failing_regressions") else 0
