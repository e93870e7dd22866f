"""Live reports (CONTRACT §10): ``results.json`` (atomic), JUnit XML and a Markdown summary.

    report = Report(target="litellm 1.82.3", profile="litellm-1.82", seed=None)
    report.add(ScenarioResult(...))
    report.write(Path("reports/"), junit=Path("reports/junit.xml"))   # atomic; safe to call often
"""
from __future__ import annotations

import json
import os
import shlex
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from urllib3.util import SKIP_HEADER

from .compare import Verdict


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@dataclass
class Reproducer:
    """Everything needed to replay one run by hand: a curl line with keys as env vars (STYLE 12, 16)."""

    url: str
    headers: dict[str, str]
    body: dict
    master_key_env: str = "ROUTECHECK_MASTER_KEY"
    replay_command: str = ""

    def curl(self) -> str:
        parts = ["curl", "-sS", "-i", "-X", "POST", shlex.quote(self.url),
                 "-H", f'"Authorization: Bearer ${self.master_key_env}"']
        for k, v in self.headers.items():
            if v is None or k.lower() == "authorization":
                continue
            if v == SKIP_HEADER:        # sent without the header: curl drops its own with an empty value
                parts += ["-H", shlex.quote(f"{k}:")]
                continue
            parts += ["-H", shlex.quote(f"{k}: {v}")]
        parts += ["-d", shlex.quote(json.dumps(self.body, separators=(",", ":")))]
        return " ".join(parts)


@dataclass
class ScenarioResult:
    id: str
    verdict: Verdict
    expected: dict = field(default_factory=dict)
    observed: dict | None = None
    first_divergence: str | None = None
    reproductions: tuple[int, int] | None = None
    label: str | None = None
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    minimized: str | None = None
    reproducer: Reproducer | None = None
    source: str = ""
    isolation: dict | None = None               # I-5: the verdict when repeated alone
    minimized_reproducer: Reproducer | None = None
    minimized_summary: str | None = None        # "3 -> 2 deployments, ..." and how it was confirmed
    maintainer: dict | None = None              # LiteLLM-only reproducer: config, start, curl, verified

    def to_json(self) -> dict:
        d = {"id": self.id, "verdict": self.verdict.value, "expected": self.expected,
             "observed": self.observed, "first_divergence": self.first_divergence,
             "reproductions": ({"k": self.reproductions[0], "n": self.reproductions[1]}
                               if self.reproductions else None),
             "label": self.label, "warnings": self.warnings, "minimized": self.minimized}
        if self.reason:
            d["reason"] = self.reason
        if self.reproducer:
            d["reproduce"] = {"curl": self.reproducer.curl(), "replay": self.reproducer.replay_command}
        if self.isolation:
            d["isolation"] = self.isolation
        if self.maintainer:
            d["maintainer_reproduce"] = self.maintainer
        if self.minimized_reproducer:
            d["minimized_reproduce"] = {"curl": self.minimized_reproducer.curl(),
                                        "replay": self.minimized_reproducer.replay_command,
                                        "summary": self.minimized_summary}
        return d


class Report:
    def __init__(self, target: str, profile: str, seed: int | None = None):
        self.run = {"target": target, "profile": profile, "seed": seed, "started": now_iso(),
                    "finished": None}
        self.results: list[ScenarioResult] = []
        self.notes: list[str] = []

    def add(self, result: ScenarioResult) -> None:
        self.results.append(result)

    def finish(self) -> None:
        self.run["finished"] = now_iso()

    def summary(self) -> dict:
        s = {v.value: 0 for v in Verdict}
        for r in self.results:
            s[r.verdict.value] += 1
        s["warnings"] = sum(len(r.warnings) for r in self.results)
        return s

    def exit_code(self) -> int:
        """CONTRACT §6: 1 if any FAIL; else 3 if any INDETERMINATE; else 0."""
        s = self.summary()
        if s["FAIL"]:
            return 1
        if s["INDETERMINATE"]:
            return 3
        return 0

    def to_json(self) -> dict:
        return {"run": self.run, "summary": self.summary(), "notes": self.notes,
                "results": [r.to_json() for r in self.results]}

    # --- writers -------------------------------------------------------------------------------
    def write(self, directory: Path, junit: Path | None = None) -> None:
        directory = Path(directory)
        write_atomic(directory / "results.json", json.dumps(self.to_json(), indent=2) + "\n")
        write_atomic(directory / "summary.md", self.markdown())
        write_atomic(junit or directory / "junit.xml", self.junit())

    def junit(self) -> str:
        s = self.summary()
        suite = ET.Element("testsuite", name=f"routecheck-live {self.run['target']}",
                           tests=str(len(self.results)), failures=str(s["FAIL"]),
                           errors=str(s["INDETERMINATE"]), skipped=str(s["UNSUPPORTED"]),
                           timestamp=self.run["started"])
        for r in self.results:
            case = ET.SubElement(suite, "testcase", classname=self.run["profile"], name=r.id)
            if r.verdict is Verdict.FAIL:
                k, n = r.reproductions or (1, 1)
                msg = f"{r.first_divergence} [{k}/{n}]" + (f" ({r.label})" if r.label else "")
                f = ET.SubElement(case, "failure", message=msg)
                f.text = self._block(r)
            elif r.verdict is Verdict.INDETERMINATE:
                ET.SubElement(case, "error", message=f"INDETERMINATE: {r.reason}").text = self._block(r)
            elif r.verdict is Verdict.UNSUPPORTED:
                ET.SubElement(case, "skipped", message=f"UNSUPPORTED: {r.reason}")
            if r.warnings:
                ET.SubElement(case, "system-out").text = "\n".join(f"warning: {w}" for w in r.warnings)
        ET.indent(suite)
        return ET.tostring(suite, encoding="unicode") + "\n"

    def _block(self, r: ScenarioResult) -> str:
        lines = []
        if r.observed:
            lines.append(f"observed: status {r.observed.get('status')}, served_by "
                         f"{r.observed.get('served_by')}, upstream {r.observed.get('upstream_calls')}")
            if r.observed.get("error_message"):
                lines.append(f"message: {r.observed['error_message'][:600]}")
        lines.append(f"expected: {r.expected}")
        if r.reproducer:
            lines.append("Reproduce with:")
            lines.append(f"  {r.reproducer.curl()}")
            if r.reproducer.replay_command:
                lines.append(f"  {r.reproducer.replay_command}")
        return "\n".join(lines)

    def markdown(self) -> str:
        s = self.summary()
        out = [f"# routecheck-live: {self.run['target']} ({self.run['profile']})", "",
               f"Started {self.run['started']}, finished {self.run['finished'] or '— (partial run)'}"
               + (f", seed {self.run['seed']}" if self.run["seed"] is not None else "") + ".", "",
               "| PASS | FAIL | INDETERMINATE | UNSUPPORTED | warnings |", "|---|---|---|---|---|",
               f"| {s['PASS']} | {s['FAIL']} | {s['INDETERMINATE']} | {s['UNSUPPORTED']} | {s['warnings']} |",
               ""]
        for note in self.notes:
            out += [f"> {note}", ""]
        for r in self.results:
            if r.verdict is Verdict.PASS and not r.warnings:
                continue
            title = f"## {r.verdict.value}: {r.id}"
            if r.reproductions:
                title += f" ({r.reproductions[0]}/{r.reproductions[1]}" + (
                    ", flaky)" if r.reproductions[0] < r.reproductions[1] else ")")
            if r.label:
                title += f" — {r.label}"
            out += [title, ""]
            if r.first_divergence:
                out += [r.first_divergence, ""]
            if r.reason:
                out += [f"Reason: {r.reason}", ""]
            for w in r.warnings:
                out += [f"- warning: {w}"]
            if r.warnings:
                out += [""]
            if r.observed:
                out += [f"Observed: status {r.observed.get('status')}, served by "
                        f"{r.observed.get('served_by')}, upstream calls "
                        f"{[c.get('deployment') for c in r.observed.get('upstream_calls') or []]}"]
                if r.observed.get("error_message"):
                    out += ["", "```", r.observed["error_message"][:1500], "```"]
                out += [""]
            if r.expected:
                out += [f"Expected: statuses {r.expected.get('statuses')}, served by "
                        f"{r.expected.get('served_by')}", ""]
            if r.isolation:
                out += [f"Repeated alone (I-5): {r.isolation['verdict']}"
                        + (f" ({r.isolation['label']})" if r.isolation.get("label") else ""), ""]
            if r.reproducer:
                out += ["Reproduce with:", "", "```sh", r.reproducer.curl()]
                if r.reproducer.replay_command:
                    out.append(r.reproducer.replay_command)
                out += ["```", ""]
            if r.minimized:
                out += [f"Minimized: `{r.minimized}`" + (f" — {r.minimized_summary}" if r.minimized_summary else ""),
                        ""]
            if r.maintainer:
                out += [f"Without routecheck (LiteLLM's own mock_response; {r.maintainer['verified']}):", "",
                        "```sh", r.maintainer["start"], r.maintainer["curl"], "```", ""]
            if r.minimized_reproducer:
                out += ["Reproduce the minimized scenario with:", "", "```sh", r.minimized_reproducer.curl()]
                if r.minimized_reproducer.replay_command:
                    out.append(r.minimized_reproducer.replay_command)
                out += ["```", ""]
        return "\n".join(out) + "\n"
