"""The oracle, spoken to only through its CLI: ``routecheck oracle --jsonl`` (CONTRACT §4).

    oracle = Oracle.find(cli_path)           # --oracle, $ROUTECHECK_BIN, <repo>/build/routecheck, PATH
    results = oracle.ask([line, ...])        # one result dict per input line, same order
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


class OracleError(RuntimeError):
    """The oracle could not be found or did not answer as CONTRACT §4 says; carries its stderr."""


class Oracle:
    def __init__(self, path: str):
        self.path = path

    @classmethod
    def find(cls, explicit: str | None = None) -> "Oracle":
        tried = []
        for cand, how in ((explicit, "--oracle"), (os.environ.get("ROUTECHECK_BIN"), "$ROUTECHECK_BIN"),
                          (str(REPO / "build" / "routecheck"), "<repo>/build/routecheck"),
                          (shutil.which("routecheck"), "PATH")):
            if not cand:
                continue
            tried.append(f"{how}={cand}")
            if os.path.isfile(cand) and os.access(cand, os.X_OK):
                return cls(cand)
            if explicit and how == "--oracle":
                raise OracleError(f"--oracle {cand}: not an executable file")
        raise OracleError("no routecheck oracle found (tried " + (", ".join(tried) or "nothing") +
                          "); build it (cmake --build build) or pass --oracle PATH")

    def ask(self, lines: list[dict], profile: str | None = None, timeout: float = 600) -> list[dict]:
        """Sends the lines to ``routecheck oracle --jsonl``; a line's own profile/mutant override flags."""
        cmd = [self.path, "oracle", "--jsonl"]
        if profile:
            cmd += ["--profile", profile]
        stdin = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
        try:
            proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise OracleError(f"`{' '.join(cmd)}` failed: {e}") from None
        out = [l for l in proc.stdout.splitlines() if l.strip()]
        if len(out) != len(lines):
            raise OracleError(f"`{' '.join(cmd)}` answered {len(out)} line(s) for {len(lines)} "
                              f"(exit {proc.returncode}); stderr:\n{proc.stderr[-2000:]}")
        results = []
        for n, (line, text) in enumerate(zip(lines, out), 1):
            try:
                res = json.loads(text)
            except ValueError:
                raise OracleError(f"oracle output line {n} is not JSON: {text[:200]!r}") from None
            if res.get("id") != line.get("id"):
                raise OracleError(f"oracle output line {n} echoes id {res.get('id')!r}, "
                                  f"expected {line.get('id')!r}")
            results.append(res)
        return results
