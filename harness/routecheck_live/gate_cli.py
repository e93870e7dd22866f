"""Command-line surface of ``routecheck-live gate``, ``bisect`` and ``overnight`` (registered by cli.py).

Exit codes (CONTRACT §6): gate — 0 nothing changed, 1 a change, 2 bad input (names file and field),
3 nothing could be judged; bisect — 0 a boundary found, 1 the endpoints do not disagree, 2 bad input,
3 an endpoint untestable, or the boundary may lie in untested releases; overnight — 0 no new finding, 1 new findings, 2 bad input.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .profile import PROFILES, UnknownVersion, profile_for

EXIT_INPUT = 2


def add_gate_parsers(sub) -> None:
    g = sub.add_parser("gate", help="CI regression gate: lint + corpora + generated batch vs an expectation file")
    tgt = g.add_mutually_exclusive_group(required=True)
    tgt.add_argument("--litellm", metavar="VERSION", help="install (cached) and start this LiteLLM")
    tgt.add_argument("--target", metavar="URL", help="an already running proxy (needs --profile)")
    g.add_argument("--profile", choices=PROFILES, help="oracle profile (default: from the version)")
    g.add_argument("--master-key-env", metavar="VAR", help="env var holding the --target master key")
    g.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --target")
    g.add_argument("--config", metavar="CONFIG", help="your proxy config: linted, and held fixed in the generated batch")
    g.add_argument("--expectations", metavar="FILE", help="expectation file "
                   "(default: corpus/expectations/litellm-<version>.json)")
    g.add_argument("--update-expectations", action="store_true",
                   help="rewrite the expectation file from this run (after review); exit 0 unless nothing ran")
    g.add_argument("--size", metavar="N|all",
                   help="spec-coverage scenarios to run: a deterministic subset by id hash; 0 none "
                        "(default: what the expectation file covers, else all)")
    g.add_argument("--generate", type=int, metavar="N",
                   help="generated scenarios (default: what the expectation file covers, else 20)")
    g.add_argument("--seed", type=int, metavar="S", help="seed of the generated batch (default: the file's, else 1)")
    g.add_argument("--no-curated", action="store_true", help="skip corpus/scenarios")
    g.add_argument("--scenarios", nargs="+", default=[], metavar="PATH", help="more scenarios (files, folders, .jsonl)")
    g.add_argument("--report", metavar="DIR", default="reports/gate")
    g.add_argument("--junit", metavar="FILE", help="the gate's JUnit XML (default <report>/gate-junit.xml)")
    g.add_argument("--reruns", type=int, default=2, metavar="N", help="runs of a FAIL (default 2)")
    g.add_argument("--concurrency", type=int, default=8, metavar="K")
    g.add_argument("--shrink-budget", type=float, default=0.0, metavar="SECONDS",
                   help="wall time for minimizing FAILs (default 0: reproducers only)")
    g.add_argument("--skip-preflight", action="store_true")
    g.add_argument("--oracle", metavar="PATH")

    b = sub.add_parser("bisect", help="find the release where a scenario's verdict changes")
    b.add_argument("--scenario", required=True, metavar="FILE")
    b.add_argument("--good", required=True, metavar="V1", help="a release where the scenario PASSes")
    b.add_argument("--bad", required=True, metavar="V2", help="a release where it FAILs (either may be older)")
    b.add_argument("--profile", choices=PROFILES, default="litellm-1.82",
                   help="oracle profile for every release tested (default litellm-1.82)")
    b.add_argument("--skip-denylisted", action="store_true",
                   help="accept a range that crosses a denylisted release, which is then never installed")
    b.add_argument("--reruns", type=int, default=2, metavar="N")
    b.add_argument("--report", metavar="DIR", default="reports/bisect")
    b.add_argument("--oracle", metavar="PATH")

    o = sub.add_parser("overnight", help="fuzzing nightly mode + long live generated runs; morning report")
    o.add_argument("--minutes", type=float, default=480.0, metavar="M", help="total time budget (default 480)")
    o.add_argument("--versions", default="1.82.3", metavar="V[,V...]", help="LiteLLM releases to run live")
    o.add_argument("--fuzz-share", type=float, default=0.5, metavar="F",
                   help="share of the budget for the fuzzers (default 0.5; 0 skips them)")
    o.add_argument("--fuzz-targets", default="config,scenario,cli_args,oracle", metavar="L")
    o.add_argument("--batch", type=int, default=40, metavar="N", help="generated scenarios per live round")
    o.add_argument("--seed", type=int, default=1000, metavar="S", help="seed of the first live round")
    o.add_argument("--report", metavar="DIR", default="reports/overnight")
    o.add_argument("--oracle", metavar="PATH")


def _fail(msg: str) -> int:
    print(f"routecheck-live: {msg}", file=sys.stderr)
    return EXIT_INPUT


def dispatch(args) -> int | None:
    from .bisect import BisectInputError
    from .expectations import ExpectationError
    from .gate import GateInputError
    from .launcher import RefusedVersion
    from .oracle import OracleError
    from .scenario import ScenarioError
    try:
        if args.command == "gate":
            return _gate(args)
        if args.command == "bisect":
            from .bisect import run_bisect
            return run_bisect(args)
        if args.command == "overnight":
            from .overnight import run_overnight
            return run_overnight(args)
    except (GateInputError, ExpectationError, ScenarioError, UnknownVersion, RefusedVersion,
            BisectInputError) as e:
        return _fail(str(e))
    except OracleError as e:
        return _fail(f"oracle: {e}")
    return None


def _gate(args) -> int:
    from .gate import Gate, GateSettings
    from .oracle import Oracle
    from .cli import target_problem
    if problem := target_problem(args):
        return _fail(problem)
    size = args.size
    if size is not None and size != "all":
        try:
            size = int(size)
        except ValueError:
            return _fail(f"--size {size!r}: expected a number or 'all'")
    for flag, v, lo in (("--size", size if size != "all" else None, 0), ("--generate", args.generate, 0),
                        ("--reruns", args.reruns, 1),
                        ("--concurrency", args.concurrency, 1)):
        if v is not None and v < lo:
            return _fail(f"{flag} {v}: expected at least {lo}")
    profile = args.profile or profile_for(args.litellm)
    if args.litellm:
        from .launcher import check_version_allowed
        check_version_allowed(args.litellm)       # denylisted or no lock: exit 2 before any work
    if args.expectations:
        exp = Path(args.expectations)
    elif args.litellm:
        from .gate import REPO
        exp = REPO / "corpus" / "expectations" / f"litellm-{args.litellm}.json"
    else:
        return _fail("--target needs --expectations FILE")
    covers = {}
    if exp.is_file():
        from .expectations import Expectations
        covers = Expectations.load(exp).covers
    if size is None:
        size = covers.get("spec_coverage_size")
    elif size == "all":
        size = None
    generate = args.generate if args.generate is not None else covers.get("generate", 20)
    seed = args.seed if args.seed is not None else covers.get("seed", 1)
    config = None
    if args.config:
        config = Path(args.config)
        if not config.is_file():
            return _fail(f"{config}: (file): no such config file")
    key = os.environ.get(args.master_key_env, "") if args.master_key_env else ""
    s = GateSettings(profile=profile, expectations=exp, version=args.litellm, target=args.target, master_key=key,
                     config=config, extra_scenarios=args.scenarios, curated=not args.no_curated, size=size,
                     generate=generate, seed=seed, update=args.update_expectations,
                     report_dir=Path(args.report), junit=Path(args.junit) if args.junit else None,
                     reruns=args.reruns, concurrency=args.concurrency, shrink_budget_s=args.shrink_budget,
                     preflight=not args.skip_preflight)
    return Gate(s, Oracle.find(args.oracle)).execute()
