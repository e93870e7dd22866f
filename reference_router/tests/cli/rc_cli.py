"""Paths and helpers shared by the CLI and schema tests (a module name of its own: harness/tests has a conftest too)."""
import json
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCHEMA = REPO / "reference_router" / "schema" / "scenario-v1.json"
SCENARIOS = REPO / "corpus" / "scenarios"
SCENARIO_25276 = SCENARIOS / "issue-25276-credential-tag-leak.json"
TIMEOUT_S = 5.0  # "completes within a few seconds": every call here answers in milliseconds


def routecheck_path() -> Path:
    """$ROUTECHECK_BIN, else <repo>/build/routecheck (CONTRACT §8)."""
    env = os.environ.get("ROUTECHECK_BIN")
    return Path(env) if env else REPO / "build" / "routecheck"


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


def compact(doc) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
