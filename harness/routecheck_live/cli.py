"""``routecheck-live run``: replays scenarios against a live LiteLLM and judges them with the oracle.

Exit codes (CONTRACT §6): 0 all PASS; 1 a FAIL; 2 bad CLI or scenario input (names file and field);
3 target unusable, or INDETERMINATE results and no FAIL.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

from .compare import Verdict, compare
from .config import ConfigError, WireConfig
from .launcher import LauncherError, Proxy
from .oracle import Oracle, OracleError
from .profile import PROFILES, UnknownVersion, profile_for
from .replay import Observation, Replayer, new_run_id
from .report import Report, Reproducer, ScenarioResult
from .scenario import Scenario, ScenarioError
from .upstream import FakeUpstream, FaultSyntaxError, parse_plan

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_TARGET = 0, 1, 2, 3
MUTANTS_FOR_LABELS = ("credential-tag-leak",)
ORACLE_FIELDS = ("format", "id", "profile", "profile_options", "config", "request", "principal", "faults",
                 "twin_of", "relation")


class UsageError(Exception):
    """Bad CLI input: exit 2 with the message."""


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="routecheck-live")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="replay scenarios against a live proxy and judge them")
    tgt = run.add_mutually_exclusive_group(required=True)
    tgt.add_argument("--litellm", metavar="VERSION", help="install (cached) and start this LiteLLM")
    tgt.add_argument("--target", metavar="URL", help="an already running proxy (no faults possible)")
    run.add_argument("--profile", choices=PROFILES, help="oracle profile (default: from the version)")
    run.add_argument("--master-key-env", metavar="VAR", help="env var holding the --target master key")
    run.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --target")
    src = run.add_mutually_exclusive_group(required=True)
    src.add_argument("--scenarios", nargs="+", metavar="PATH", help="files, folders, .jsonl")
    src.add_argument("--generate", type=int, metavar="N", help="generate N live-safe scenarios")
    src.add_argument("--config", metavar="CONFIG", help="one config (YAML or JSON) with --request")
    run.add_argument("--seed", type=int, help="seed for --generate")
    run.add_argument("--request", metavar="BODY.json")
    run.add_argument("--path", default="/v1/chat/completions")
    run.add_argument("--header", action="append", default=[], metavar="'N: v'")
    run.add_argument("--fault", action="append", default=[], metavar="ID=OUTCOME[,OUTCOME...]")
    run.add_argument("--profile-option", action="append", default=[], metavar="K=V")
    run.add_argument("--oracle", metavar="PATH")
    run.add_argument("--report", metavar="DIR", default="reports/live")
    run.add_argument("--junit", metavar="FILE")
    run.add_argument("--concurrency", type=int, default=1)
    run.add_argument("--reruns", type=int, default=3)
    run.add_argument("--skip-preflight", action="store_true", help="do not run the pre-flight probes")
    return ap


# --- input ---------------------------------------------------------------------------------------
def _load_config_file(path: str) -> dict:
    import yaml
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ScenarioError(path, "(file)", f"cannot read: {e.strerror}") from None
    try:
        doc = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except Exception as e:  # noqa: BLE001 - any parse error is bad input
        raise ScenarioError(path, "(file)", f"not YAML/JSON: {e}") from None
    if not isinstance(doc, dict):
        raise ScenarioError(path, "(root)", f"expected a mapping, got {type(doc).__name__}")
    return doc


def _single_scenario(args) -> Scenario:
    if not args.request:
        raise UsageError("--config needs --request BODY.json")
    config = _load_config_file(args.config)
    try:
        body = json.loads(Path(args.request).read_text())
    except OSError as e:
        raise ScenarioError(args.request, "(file)", f"cannot read: {e.strerror}") from None
    except ValueError as e:
        raise ScenarioError(args.request, "(file)", f"not JSON: {e}") from None
    headers = {}
    for h in args.header:
        if ":" not in h:
            raise UsageError(f"--header {h!r}: expected 'Name: value'")
        k, v = h.split(":", 1)
        headers[k.strip()] = v.strip()
    faults = {}
    for f in args.fault:
        if "=" not in f:
            raise UsageError(f"--fault {f!r}: expected ID=OUTCOME[,OUTCOME...]")
        dep, outs = f.split("=", 1)
        faults[dep.strip()] = [o.strip() for o in outs.split(",")]
    try:
        parse_plan(faults)
    except FaultSyntaxError as e:
        raise UsageError(f"--fault: {e}") from None
    doc = {"format": "routecheck-scenario/1", "id": Path(args.request).stem, "config": config,
           "request": {"path": args.path, "headers": headers, "body": body}, "faults": faults}
    return Scenario.from_json(doc, f"{args.config} + {args.request}")


def _generated(args, oracle: Oracle, profile: str) -> list[Scenario]:
    if args.seed is None:
        raise UsageError("--generate needs --seed S")
    cmd = [oracle.path, "gen", "--seed", str(args.seed), "--count", str(args.generate), "--live-safe",
           "--profile", profile]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise OracleError(f"`{' '.join(cmd)}` exited {proc.returncode}: {proc.stderr[-1000:]}")
    out = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if line.strip():
            out.append(Scenario.from_json(json.loads(line), f"<gen seed {args.seed}>:{n}"))
    return out


def _profile_options(args) -> dict:
    opts = {}
    for kv in args.profile_option:
        if "=" not in kv:
            raise UsageError(f"--profile-option {kv!r}: expected K=V")
        k, v = kv.split("=", 1)
        opts[k] = v
    return opts


# --- the run -------------------------------------------------------------------------------------
def unsupported_reason(s: Scenario, live_target: bool) -> str | None:
    if s.needs_database():
        return "key/team principals need a database, which the live setup does not have"
    if s.is_streaming():
        return "streaming is not supported in v1"
    if live_target and s.faults:
        return "faults cannot be injected on a remote --target"
    return None


def oracle_lines(s: Scenario, wire: WireConfig, profile: str, popts: dict) -> list[dict]:
    doc = {k: v for k, v in s.to_json().items() if k in ORACLE_FIELDS}
    doc["config"] = wire.config
    doc["profile"] = s.profile if s.profile in PROFILES and s.profile == profile else profile
    opts = dict(s.profile_options)
    opts.update(popts)
    if opts:
        doc["profile_options"] = opts
    doc.pop("expected", None)
    lines = [dict(doc, mutant=None)]
    for m in MUTANTS_FOR_LABELS:
        lines.append(dict(doc, mutant=m))
    return lines


def run(args) -> int:
    if args.target and not args.profile:
        raise UsageError("--target needs --profile P")
    if args.target and not args.allow_remote:
        from urllib.parse import urlparse
        host = urlparse(args.target).hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127."):
            raise UsageError(f"--target {args.target}: not a loopback address; pass --allow-remote")
    try:
        profile = args.profile or profile_for(args.litellm)
    except UnknownVersion as e:
        raise UsageError(str(e)) from None
    popts = _profile_options(args)
    oracle = Oracle.find(args.oracle)
    if args.scenarios:
        scenarios = Scenario.load_all(args.scenarios)
    elif args.config:
        scenarios = [_single_scenario(args)]
    else:
        scenarios = _generated(args, oracle, profile)
    if not scenarios:
        raise UsageError("no scenarios given")

    target = f"litellm {args.litellm}" if args.litellm else args.target
    report = Report(target=target, profile=profile, seed=args.seed)
    report_dir = Path(args.report)
    junit = Path(args.junit) if args.junit else None
    upstream = FakeUpstream().start()
    try:
        return _run(args, scenarios, profile, popts, oracle, upstream, report, report_dir, junit)
    except KeyboardInterrupt:
        report.notes.append("interrupted (Ctrl-C): partial report")
        report.write(report_dir, junit)
        print(f"routecheck-live: interrupted; partial report in {report_dir}", file=sys.stderr)
        return 130
    finally:
        upstream.stop()


def _run(args, scenarios, profile, popts, oracle, upstream, report, report_dir, junit) -> int:
    # 1. Ask the oracle first, so bad input stops the run before any proxy starts (exit 2).
    wires: dict[str, WireConfig] = {}
    lines: list[dict] = []
    for s in scenarios:
        try:
            wires[s.id] = WireConfig.rewrite(s.config, upstream.port, where=s.source)
        except ConfigError as e:
            raise ScenarioError(e.where, f"config.{e.field}", str(e).split(": ", 2)[-1]) from None
        lines.extend(oracle_lines(s, wires[s.id], profile, popts))
    answers = oracle.ask(lines)
    per: dict[str, dict] = {}
    for line, ans in zip(lines, answers):
        err = ans.get("error")
        if err and err.get("kind") == "input":
            raise ScenarioError(next(s.source for s in scenarios if s.id == line["id"]),
                                err.get("field", "?"), err.get("message", ""))
        per.setdefault(line["id"], {})[line["mutant"] or ""] = ans

    # 2. Batch by config (scenarios with equal configs share one proxy start).
    batches: dict[str, list[Scenario]] = {}
    for s in scenarios:
        batches.setdefault(json.dumps(wires[s.id].config, sort_keys=True), []).append(s)
    target_unusable = False
    preflight_problems: list[str] = []
    if args.litellm and not args.skip_preflight:
        from .probe import preflight
        try:
            preflight_problems = preflight(args.litellm, log=lambda m: print(m, file=sys.stderr))
        except LauncherError as e:
            preflight_problems = [f"proxy unusable: {e}"[:2000]]
        for p in preflight_problems:
            report.notes.append(f"pre-flight: {p}")
    for members in batches.values():
        todo = []
        for s in members:
            why = unsupported_reason(s, bool(args.target))
            if why:
                report.add(ScenarioResult(s.id, Verdict.UNSUPPORTED, reason=why, source=s.source))
            else:
                todo.append(s)
        if not todo:
            continue
        if preflight_problems:
            target_unusable = True
            for s in todo:
                report.add(ScenarioResult(s.id, Verdict.INDETERMINATE, source=s.source,
                                          reason="pre-flight failed: " + "; ".join(preflight_problems)))
            continue
        if args.target:
            import os
            key = os.environ.get(args.master_key_env or "", "") if args.master_key_env else ""
            _judge_all(args, todo, per, Replayer(args.target, key, None), report, None)
            report.write(report_dir, junit)
            continue
        try:
            proxy = Proxy.launch(args.litellm, todo[0].config, upstream=upstream)
        except LauncherError as e:
            target_unusable = True
            for s in todo:
                report.add(ScenarioResult(s.id, Verdict.INDETERMINATE, reason=f"proxy unusable: {e}"[:2000],
                                          source=s.source))
            report.write(report_dir, junit)
            continue
        with proxy:
            _judge_all(args, todo, per, Replayer(proxy.url, proxy.master_key, upstream), report, proxy)
        report.write(report_dir, junit)
    report.finish()
    report.write(report_dir, junit)
    code = report.exit_code()
    if target_unusable and code == EXIT_OK:
        code = EXIT_TARGET
    s = report.summary()
    print(f"routecheck-live: {s['PASS']} PASS, {s['FAIL']} FAIL, {s['INDETERMINATE']} INDETERMINATE, "
          f"{s['UNSUPPORTED']} UNSUPPORTED, {s['warnings']} warnings; report in {report_dir}")
    return code


def _judge_all(args, todo, per, replayer: Replayer, report: Report, proxy) -> None:
    for s in todo:
        answers = per[s.id]
        result = answers[""]
        mutants = {m: a for m, a in answers.items() if m}
        obs = _replay(replayer, s, proxy)
        cmp = compare(obs.to_json(), result, mutants, obs.indeterminate_reason())
        res = ScenarioResult(s.id, cmp.verdict, expected=cmp.expected, observed=obs.to_json(),
                             first_divergence=cmp.first_divergence, label=cmp.label, warnings=cmp.warnings,
                             reason=cmp.reason, source=s.source)
        if cmp.verdict is Verdict.FAIL:
            k = 1
            for _ in range(max(args.reruns, 1) - 1):
                again = _replay(replayer, s, proxy)
                if compare(again.to_json(), result, mutants, again.indeterminate_reason()).verdict is Verdict.FAIL:
                    k += 1
            res.reproductions = (k, max(args.reruns, 1))
        if cmp.verdict is not Verdict.PASS or cmp.warnings:
            url, headers, body = replayer.request_for(s, obs.run_id)
            res.reproducer = Reproducer(url=url, headers={k: v for k, v in headers.items() if v is not None},
                                        body=body, replay_command=_replay_command(args, s))
        report.add(res)


def _replay(replayer: Replayer, s: Scenario, proxy) -> Observation:
    obs = replayer.replay(s, new_run_id(s.id))
    if proxy is not None and obs.transport_error and not proxy.alive():
        obs.transport_error += f" (the proxy process exited with {proxy.process.returncode})"
    return obs


def _replay_command(args, s: Scenario) -> str:
    target = f"--litellm {args.litellm}" if args.litellm else f"--target {args.target}"
    src = s.source.split(" [", 1)[0].split(":", 1)[0]
    return f"routecheck-live run {target} --scenarios {shlex.quote(src)} --reruns 1"


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_INPUT if e.code not in (0, None) else 0
    try:
        if args.command == "run":
            return run(args)
    except (UsageError, ScenarioError, UnknownVersion) as e:
        print(f"routecheck-live: {e}", file=sys.stderr)
        return EXIT_INPUT
    except OracleError as e:
        print(f"routecheck-live: oracle: {e}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
