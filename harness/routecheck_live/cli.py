"""``routecheck-live run``: replays scenarios against a live LiteLLM and judges them with the oracle.

Exit codes (CONTRACT §6): 0 all PASS; 1 a FAIL; 2 bad CLI or scenario input (names file and field);
3 target unusable, or INDETERMINATE results and no FAIL.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from .oracle import Oracle, OracleError
from .profile import PROFILES, UnknownVersion, profile_for
from .runner import Settings, LiveRun, oracle_lines, unsupported_reason  # noqa: F401 (re-exported)
from .scenario import Scenario, ScenarioError
from .upstream import FaultSyntaxError, parse_plan

EXIT_OK, EXIT_FAIL, EXIT_INPUT, EXIT_TARGET = 0, 1, 2, 3


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
    run.add_argument("--scenarios", nargs="+", metavar="PATH", help="files, folders, .jsonl")
    run.add_argument("--generate", type=int, metavar="N",
                     help="generate N live-safe scenarios (`routecheck gen`), after any --scenarios")
    run.add_argument("--config", metavar="CONFIG", help="one config (YAML or JSON) with --request")
    run.add_argument("--seed", type=int, help="seed for --generate")
    run.add_argument("--request", metavar="BODY.json")
    run.add_argument("--path", default="/v1/chat/completions")
    run.add_argument("--header", action="append", default=[], metavar="'N: v'")
    run.add_argument("--fault", action="append", default=[], metavar="ID=OUTCOME[,OUTCOME...]")
    run.add_argument("--profile-option", action="append", default=[], metavar="K=V")
    run.add_argument("--oracle", metavar="PATH")
    run.add_argument("--report", metavar="DIR", default="reports/live")
    run.add_argument("--junit", metavar="FILE")
    run.add_argument("--concurrency", type=int, default=8, metavar="K",
                     help="requests in flight against one proxy (default 8)")
    run.add_argument("--reruns", type=int, default=3, metavar="N", help="runs of a FAIL, reported as k/N")
    run.add_argument("--skip-preflight", action="store_true",
                     help="do not run the pre-flight probes (their success is cached per venv)")
    run.add_argument("--transform", metavar="MP-k", help="with --generate: follow each scenario by its twin")
    run.add_argument("--no-batching", action="store_true", help="one proxy start per distinct config")
    run.add_argument("--alone-share", type=float, default=0.01, metavar="F",
                     help="share of batched scenarios repeated alone; a verdict change is an I-5 FAIL")
    run.add_argument("--shrink-budget", type=float, default=120.0, metavar="SECONDS",
                     help="wall time for minimizing FAILs (0: none); results in <report>/minimized/")
    run.add_argument("--request-timeout", type=float, metavar="SECONDS",
                     help="client timeout (default: the oracle's max_duration_s x 1.5 + 15 s)")
    run.add_argument("--ready-timeout", type=float, default=180.0, metavar="SECONDS",
                     help="how long a starting proxy may take to answer /health/liveliness")
    from .gate_cli import add_gate_parsers
    add_gate_parsers(sub)
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


def gen_available(oracle: Oracle) -> bool:
    try:
        proc = subprocess.run([oracle.path, "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(line.split()[:1] == ["gen"] for line in proc.stdout.splitlines())


def _generated(args, oracle: Oracle, profile: str) -> list[Scenario]:
    if args.seed is None:
        raise UsageError("--generate needs --seed S")
    if args.generate < 1:
        raise UsageError(f"--generate {args.generate}: expected at least 1")
    if not gen_available(oracle):
        raise UsageError(f"routecheck gen not available in {oracle.path} (it has no `gen` subcommand); "
                         f"rebuild the oracle or use --scenarios")
    cmd = [oracle.path, "gen", "--seed", str(args.seed), "--count", str(args.generate), "--live-safe",
           "--profile", profile]
    if args.transform:
        cmd += ["--transform", args.transform]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise OracleError(f"`{' '.join(cmd)}` exited {proc.returncode}: {proc.stderr[-1000:]}")
    out = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError as e:
            raise OracleError(f"`{' '.join(cmd)}` line {n} is not JSON: {e}") from None
        out.append(Scenario.from_json(doc, f"<gen seed {args.seed}>:{n}"))
    return out


def _profile_options(args) -> dict:
    opts = {}
    for kv in args.profile_option:
        if "=" not in kv:
            raise UsageError(f"--profile-option {kv!r}: expected K=V")
        k, v = kv.split("=", 1)
        opts[k] = v
    return opts


def target_problem(args) -> str | None:
    """Why `--target` may not be used as given (run and gate share this rule), or None."""
    if args.target and not args.profile:
        return "--target needs --profile P"
    if args.target and not args.allow_remote:
        from urllib.parse import urlparse
        host = urlparse(args.target).hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127."):
            return f"--target {args.target}: not a loopback address; pass --allow-remote"
    return None


# --- the run -------------------------------------------------------------------------------------
def run(args) -> int:
    if problem := target_problem(args):
        raise UsageError(problem)
    if args.concurrency < 1:
        raise UsageError(f"--concurrency {args.concurrency}: expected at least 1")
    if args.reruns < 1:
        raise UsageError(f"--reruns {args.reruns}: expected at least 1")
    if not 0 <= args.alone_share <= 1:
        raise UsageError(f"--alone-share {args.alone_share}: expected a share from 0 to 1")
    try:
        profile = args.profile or profile_for(args.litellm)
    except UnknownVersion as e:
        raise UsageError(str(e)) from None
    if not (args.scenarios or args.generate is not None or args.config):
        raise UsageError("give --scenarios PATH..., --generate N --seed S, or --config CONFIG --request BODY")
    if args.config and (args.scenarios or args.generate is not None):
        raise UsageError("--config runs one scenario; it does not combine with --scenarios or --generate")
    popts = _profile_options(args)
    oracle = Oracle.find(args.oracle)
    scenarios = []
    if args.scenarios:
        scenarios += Scenario.load_all(args.scenarios)
    if args.config:
        scenarios = [_single_scenario(args)]
    if args.generate is not None:
        scenarios += _generated(args, oracle, profile)
    if not scenarios:
        raise UsageError("no scenarios given")
    ids = {}
    for s in scenarios:
        if s.id in ids:
            raise ScenarioError(s.source, "id", f"duplicate id {s.id!r} (also in {ids[s.id]})")
        ids[s.id] = s.source
    key = ""
    if args.target and args.master_key_env:
        key = os.environ.get(args.master_key_env, "")
    settings = Settings(
        profile=profile, version=args.litellm, target=args.target, master_key=key, profile_options=popts,
        reruns=args.reruns, concurrency=args.concurrency, alone_share=args.alone_share,
        shrink_budget_s=args.shrink_budget, preflight=not args.skip_preflight, batching=not args.no_batching,
        report_dir=Path(args.report), junit=Path(args.junit) if args.junit else None, seed=args.seed,
        request_timeout_s=args.request_timeout, ready_timeout_s=args.ready_timeout)
    return LiveRun(settings, oracle, scenarios).execute()


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_INPUT if e.code not in (0, None) else 0
    try:
        if args.command == "run":
            return run(args)
        from .gate_cli import dispatch
        code = dispatch(args)
        if code is not None:
            return code
    except (UsageError, ScenarioError, UnknownVersion) as e:
        print(f"routecheck-live: {e}", file=sys.stderr)
        return EXIT_INPUT
    except OracleError as e:
        print(f"routecheck-live: oracle: {e}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
