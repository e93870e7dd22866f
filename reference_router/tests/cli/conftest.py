"""Shared helpers for the CLI and schema tests: where the routecheck binary is, how to run it safely."""
import copy
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCHEMA = REPO / "reference_router" / "schema" / "scenario-v1.json"
SCENARIOS = REPO / "corpus" / "scenarios"
SCENARIO_25276 = SCENARIOS / "issue-25276-credential-tag-leak.json"
TIMEOUT_S = 5.0  # "completes within a few seconds": every call here answers in milliseconds


def routecheck_path() -> Path:
    """$ROUTECHECK_BIN, else <repo>/build/routecheck (CONTRACT §8)."""
    env = os.environ.get("ROUTECHECK_BIN")
    return Path(env) if env else REPO / "build" / "routecheck"


@pytest.fixture(scope="session")
def routecheck_bin() -> Path:
    path = routecheck_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"routecheck binary not found at {path}: build it (cmake --build build) or set ROUTECHECK_BIN")
    return path


class Run:
    """One finished CLI call: exit code, stdout, stderr, elapsed seconds."""

    def __init__(self, argv, code, stdout, stderr, elapsed):
        self.argv, self.code, self.stdout, self.stderr, self.elapsed = argv, code, stdout, stderr, elapsed

    def json(self):
        return json.loads(self.stdout)

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def describe(self) -> str:
        return (f"argv: {self.argv}\nexit: {self.code}\nstderr: {self.stderr[:2000]!r}\n"
                f"stdout: {self.stdout[:2000]!r}")


@pytest.fixture(scope="session")
def run_cli(routecheck_bin):
    """run_cli(*args, stdin=bytes|str|None, cwd=None) -> Run. Fails the test on a hang or a signal."""

    def run(*args, stdin=None, cwd=None, timeout=TIMEOUT_S):
        argv = [str(routecheck_bin), *map(str, args)]
        data = stdin.encode() if isinstance(stdin, str) else stdin
        start = time.monotonic()
        try:
            proc = subprocess.run(argv, input=data, capture_output=True, cwd=cwd, timeout=timeout,
                                  stdin=None if data is not None else subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pytest.fail(f"routecheck did not finish within {timeout} s: {argv}")
        elapsed = time.monotonic() - start
        result = Run(argv, proc.returncode, proc.stdout.decode(errors="replace"),
                     proc.stderr.decode(errors="replace"), elapsed)
        if proc.returncode < 0:
            pytest.fail(f"routecheck was killed by {signal.Signals(-proc.returncode).name}\n{result.describe()}")
        return result

    return run


@pytest.fixture
def scenario_25276():
    """A fresh copy of the curated #25276 scenario (a dict)."""
    return copy.deepcopy(json.loads(SCENARIO_25276.read_text()))


def compact(doc) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
