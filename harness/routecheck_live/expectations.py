"""Expectation files for the gate (``corpus/expectations/litellm-<version>.json``), like test262's:
the FAILs a target is known to have, keyed by scenario id, each with its label and first divergence.

    exp = Expectations.load(Path("corpus/expectations/litellm-1.82.3.json"))   # ExpectationError: exit 2
    verdicts = judge(results, exp)          # per result: known / new / stale / indeterminate / ...
    exp.updated(results).save(path)         # --update-expectations

Green means "nothing changed", not "nothing is wrong": a listed FAIL that still fails is "known"; an
unlisted FAIL ("new") and a listed FAIL that now passes ("stale") are changes. Lint findings of
severity error are listed the same way, keyed ``lint:<rule>:<path>``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "routecheck-expectations/1"
LINT_PREFIX = "lint:"


class ExpectationError(ValueError):
    """A malformed expectation file: names the file and the field (exit 2)."""

    def __init__(self, where: str, field: str, message: str):
        super().__init__(f"{where}: {field}: {message}")


@dataclass
class Expected:
    """One listed FAIL (or lint error)."""

    label: str | None
    first_divergence: str | None
    flaky: bool = False       # failed in k < n runs when listed: passing once is then not "stale"

    def to_json(self) -> dict:
        d = {"label": self.label, "first_divergence": self.first_divergence}
        if self.flaky:
            d["flaky"] = True
        return d


@dataclass
class Expectations:
    target: str
    profile: str
    failures: dict[str, Expected] = field(default_factory=dict)
    note: str = ""
    covers: dict = field(default_factory=dict)   # what was reviewed: spec_coverage_size, generate, seed

    @classmethod
    def empty(cls, target: str, profile: str) -> "Expectations":
        return cls(target, profile, {}, "")

    @classmethod
    def load(cls, path: Path) -> "Expectations":
        where = str(path)
        try:
            text = Path(path).read_text()
        except OSError as e:
            raise ExpectationError(where, "(file)", f"cannot read: {e.strerror}") from None
        try:
            doc = json.loads(text)
        except ValueError as e:
            raise ExpectationError(where, "(file)", f"not JSON: {e}") from None
        return cls.from_json(doc, where)

    @classmethod
    def from_json(cls, doc: object, where: str) -> "Expectations":
        if not isinstance(doc, dict):
            raise ExpectationError(where, "(root)", f"expected an object, got {type(doc).__name__}")
        if doc.get("format") != FORMAT:
            raise ExpectationError(where, "format", f"expected {FORMAT!r}, got {doc.get('format')!r}")
        for key in ("target", "profile"):
            if not isinstance(doc.get(key), str) or not doc.get(key):
                raise ExpectationError(where, key, f"expected a non-empty string, got {doc.get(key)!r}")
        fails = doc.get("expected_failures")
        if not isinstance(fails, dict):
            raise ExpectationError(where, "expected_failures",
                                   f"expected an object keyed by scenario id, got {type(fails).__name__}")
        out: dict[str, Expected] = {}
        for sid, entry in fails.items():
            f = f"expected_failures.{sid}"
            if not sid:
                raise ExpectationError(where, f, "empty scenario id")
            if not isinstance(entry, dict):
                raise ExpectationError(where, f, f"expected an object, got {type(entry).__name__}")
            unknown = set(entry) - {"label", "first_divergence", "flaky"}
            if unknown:
                raise ExpectationError(where, f"{f}.{sorted(unknown)[0]}", "unknown field "
                                       "(known: label, first_divergence, flaky)")
            if not isinstance(entry.get("flaky", False), bool):
                raise ExpectationError(where, f"{f}.flaky", f"expected true or false, got {entry['flaky']!r}")
            for k in ("label", "first_divergence"):
                if entry.get(k) is not None and not isinstance(entry.get(k), str):
                    raise ExpectationError(where, f"{f}.{k}", f"expected a string or null, got "
                                           f"{type(entry[k]).__name__}")
            out[sid] = Expected(entry.get("label"), entry.get("first_divergence"), entry.get("flaky", False))
        note = doc.get("note", "")
        if not isinstance(note, str):
            raise ExpectationError(where, "note", f"expected a string, got {type(note).__name__}")
        covers = doc.get("covers", {})
        if not isinstance(covers, dict):
            raise ExpectationError(where, "covers", f"expected an object, got {type(covers).__name__}")
        for k, v in covers.items():
            if k not in ("spec_coverage_size", "generate", "seed"):
                raise ExpectationError(where, f"covers.{k}", "unknown field (known: spec_coverage_size, "
                                       "generate, seed)")
            if not (v is None and k == "spec_coverage_size") and (not isinstance(v, int) or isinstance(v, bool)
                                                                   or v < 0):
                raise ExpectationError(where, f"covers.{k}", f"expected a non-negative integer, got {v!r}")
        return cls(doc["target"], doc["profile"], out, note, covers)

    def to_json(self) -> dict:
        return {"format": FORMAT, "target": self.target, "profile": self.profile, "note": self.note,
                "covers": self.covers, "expected_failures": {k: self.failures[k].to_json() for k in sorted(self.failures)}}

    def save(self, path: Path) -> None:
        from .report import write_atomic
        write_atomic(Path(path), json.dumps(self.to_json(), indent=2) + "\n")

    def updated(self, checks: list["Check"], covers: dict | None = None) -> "Expectations":
        """The file after review: entries judged this run follow the run; entries not run stay as
        they were (a --size subset does not forget the rest); INDETERMINATE keeps the old entry."""
        fails = dict(self.failures)
        for c in checks:
            if c.kind == "known" and c.first_divergence is None:
                continue            # listed as flaky, passed this time: keep the entry as it is
            if c.kind in ("new", "known", "changed"):
                k, n = c.reproductions or (1, 1)
                was = self.failures.get(c.id)
                fails[c.id] = Expected(c.label, c.first_divergence, k < n or bool(was and was.flaky))
            elif c.kind == "stale":
                fails.pop(c.id, None)
        return Expectations(self.target, self.profile, fails, self.note, covers or self.covers)


@dataclass
class Check:
    """One judged item of a gate run, compared with the expectation file.

    kind: ``pass``; ``known`` (listed FAIL, still FAILs); ``changed`` (listed FAIL, still FAILs, but
    its label differs: a change); ``new`` (an unlisted FAIL: a change); ``stale`` (listed, now
    passes: a change); ``indeterminate`` / ``unsupported`` (warnings, never a PASS).
    """

    id: str
    kind: str
    label: str | None = None
    first_divergence: str | None = None
    listed: Expected | None = None
    reason: str | None = None
    reproductions: tuple[int, int] | None = None
    minimized: str | None = None

    @property
    def is_change(self) -> bool:
        return self.kind in ("new", "stale", "changed")

    def line(self) -> str:
        lab = f" ({self.label})" if self.label else ""
        rep = f" [{self.reproductions[0]}/{self.reproductions[1]}]" if self.reproductions else ""
        if self.kind == "known":
            if self.listed and self.listed.flaky and self.first_divergence is None:
                return f"known: {self.id} (listed as flaky; passed this time)"
            return f"known: {self.id}{lab}{rep}: {self.first_divergence}"
        if self.kind == "new":
            return f"NEW FAIL: {self.id}{lab}{rep}: {self.first_divergence}"
        if self.kind == "changed":
            return (f"CHANGED: {self.id}: listed as {self.listed.label or 'unlabelled'}, now "
                    f"{self.label or 'unlabelled'}{rep}: {self.first_divergence}")
        if self.kind == "stale":
            return (f"STALE: {self.id} is listed as a FAIL ({self.listed.label or 'unlabelled'}) but now "
                    f"passes; review and run with --update-expectations")
        if self.kind == "indeterminate":
            return f"warning: INDETERMINATE {self.id}: {(self.reason or '')[:300]}"
        if self.kind == "unsupported":
            return f"warning: UNSUPPORTED {self.id}: {self.reason}"
        return f"pass: {self.id}"


def check_one(sid: str, verdict: str, label: str | None, divergence: str | None, exp: Expectations,
              reason: str | None = None, reproductions=None, minimized=None) -> Check:
    listed = exp.failures.get(sid)
    c = Check(sid, "pass", label, divergence, listed, reason, reproductions, minimized)
    if verdict == "FAIL":
        if listed is None:
            c.kind = "new"
        elif (listed.label or None) != (label or None):
            c.kind = "changed"
        else:
            c.kind = "known"
    elif verdict == "PASS":
        if listed is None:
            c.kind = "pass"
        elif listed.flaky:
            c.kind, c.label, c.first_divergence = "known", listed.label, None
        else:
            c.kind = "stale"
    elif verdict == "INDETERMINATE":
        c.kind = "indeterminate"
    else:
        c.kind = "unsupported"
    return c


def judge(results: list[dict], exp: Expectations) -> list[Check]:
    """Checks for the ``results`` of a live report (CONTRACT §10 entries)."""
    out = []
    for r in results:
        rep = r.get("reproductions")
        out.append(check_one(r["id"], r["verdict"], r.get("label"), r.get("first_divergence"), exp,
                             reason=r.get("reason"),
                             reproductions=(rep["k"], rep["n"]) if rep else None,
                             minimized=r.get("minimized")))
    return out
