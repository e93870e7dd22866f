"""Fixtures for the CLI and schema tests: the routecheck binary, a safe runner, the #25276 scenario."""
import copy
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from rc_cli import SCENARIO_25276, TIMEOUT_S, Run, routecheck_path


@pytest.fixture(scope="session")
def routecheck_bin() -> Path:
    path = routecheck_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"routecheck binary not found at {path}: build it (cmake --build build) or set ROUTECHECK_BIN")
    return path


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
