"""Scenario files (CONTRACT §1), parsed once at the edge; errors name the file and the field.

    scenarios = Scenario.load_all(["corpus/scenarios", "more.jsonl"])
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .upstream import FaultSyntaxError, parse_plan

FORMAT = "routecheck-scenario/1"
DEFAULT_PATH = "/v1/chat/completions"


class ScenarioError(ValueError):
    """Bad scenario input: ``where`` is the file (and line), ``field`` a dotted path (STYLE 14)."""

    def __init__(self, where: str, field: str, message: str):
        super().__init__(f"{where}: {field}: {message}")
        self.where, self.field, self.message = where, field, message


def _tn(v: object) -> str:
    return type(v).__name__


@dataclass
class Scenario:
    id: str
    config: dict
    request_body: dict
    path: str = DEFAULT_PATH
    headers: dict[str, str] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    profile: str | None = None
    profile_options: dict = field(default_factory=dict)
    principal: dict | None = None
    expected: dict = field(default_factory=dict)
    source: str = "<memory>"
    raw: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, doc: object, where: str = "<memory>") -> "Scenario":
        if not isinstance(doc, dict):
            raise ScenarioError(where, "(root)", f"expected an object, got {_tn(doc)}")
        fmt = doc.get("format")
        if fmt != FORMAT:
            raise ScenarioError(where, "format", f"expected {FORMAT!r}, got {fmt!r}")
        sid = doc.get("id")
        if not isinstance(sid, str) or not sid:
            raise ScenarioError(where, "id", f"expected a non-empty string, got {sid!r} ({_tn(sid)})")
        where = f"{where} [{sid}]" if "[" not in where else where
        config = doc.get("config")
        if not isinstance(config, dict):
            raise ScenarioError(where, "config", f"expected an object, got {_tn(config)}")
        models = config.get("model_list")
        if not isinstance(models, list):
            raise ScenarioError(where, "config.model_list", f"expected a list, got {_tn(models)}")
        for i, dep in enumerate(models):
            dep_id = dep.get("model_info", {}).get("id") if isinstance(dep, dict) and isinstance(
                dep.get("model_info"), dict) else None
            if not isinstance(dep_id, str) or not dep_id:
                raise ScenarioError(where, f"config.model_list[{i}].model_info.id",
                                    f"expected a non-empty string, got {dep_id!r}")
        req = doc.get("request")
        if not isinstance(req, dict):
            raise ScenarioError(where, "request", f"expected an object, got {_tn(req)}")
        body = req.get("body")
        if not isinstance(body, dict):
            raise ScenarioError(where, "request.body", f"expected an object, got {_tn(body)}")
        path = req.get("path", DEFAULT_PATH)
        if not isinstance(path, str) or not path.startswith("/"):
            raise ScenarioError(where, "request.path", f"expected a path starting with '/', got {path!r}")
        headers = req.get("headers") or {}
        if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                    for k, v in headers.items()):
            raise ScenarioError(where, "request.headers", f"expected an object of strings, got {headers!r}")
        faults = doc.get("faults") or {}
        if not isinstance(faults, dict):
            raise ScenarioError(where, "faults", f"expected an object, got {_tn(faults)}")
        for dep, outs in faults.items():
            if not isinstance(outs, list) or not outs:
                raise ScenarioError(where, f"faults.{dep}", f"expected a non-empty list, got {outs!r}")
            try:
                parse_plan({dep: outs})
            except FaultSyntaxError as e:
                raise ScenarioError(where, f"faults.{dep}", str(e)) from None
        profile = doc.get("profile")
        if profile is not None and not isinstance(profile, str):
            raise ScenarioError(where, "profile", f"expected a string, got {_tn(profile)}")
        popts = doc.get("profile_options") or {}
        if not isinstance(popts, dict):
            raise ScenarioError(where, "profile_options", f"expected an object, got {_tn(popts)}")
        expected = doc.get("expected") or {}
        if not isinstance(expected, dict):
            raise ScenarioError(where, "expected", f"expected an object, got {_tn(expected)}")
        principal = doc.get("principal")
        return cls(id=sid, config=config, request_body=body, path=path, headers=dict(headers),
                   faults={k: list(v) for k, v in faults.items()}, profile=profile, profile_options=popts,
                   principal=principal, expected=expected, source=where, raw=doc)

    # --- loading -------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> list["Scenario"]:
        """One .json file (one scenario) or one .jsonl file (one scenario a line)."""
        p = Path(path)
        try:
            text = p.read_text()
        except OSError as e:
            raise ScenarioError(str(p), "(file)", f"cannot read: {e.strerror}") from None
        if p.suffix == ".jsonl":
            out = []
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError as e:
                    raise ScenarioError(f"{p}:{n}", "(line)", f"not JSON: {e}") from None
                out.append(cls.from_json(doc, f"{p}:{n}"))
            return out
        try:
            doc = json.loads(text)
        except ValueError as e:
            raise ScenarioError(str(p), "(file)", f"not JSON: {e}") from None
        return [cls.from_json(doc, str(p))]

    @classmethod
    def load_all(cls, paths: Iterable[str | Path]) -> list["Scenario"]:
        """Files, folders (every *.json and *.jsonl below, sorted) and .jsonl streams."""
        out: list[Scenario] = []
        for path in paths:
            p = Path(path)
            if p.is_dir():
                files = sorted(f for f in p.rglob("*") if f.suffix in (".json", ".jsonl") and f.is_file())
                for f in files:
                    out.extend(cls.load(f))
            elif p.exists():
                out.extend(cls.load(p))
            else:
                raise ScenarioError(str(p), "(file)", "no such file or folder")
        seen: dict[str, str] = {}
        for s in out:
            if s.id in seen:
                raise ScenarioError(s.source, "id", f"duplicate id {s.id!r} (also in {seen[s.id]})")
            seen[s.id] = s.source
        return out

    def to_json(self) -> dict:
        doc = dict(self.raw) if self.raw else {}
        doc.update({"format": FORMAT, "id": self.id, "config": self.config,
                    "request": {"path": self.path, "headers": self.headers, "body": self.request_body},
                    "faults": self.faults})
        if self.profile:
            doc["profile"] = self.profile
        if self.profile_options:
            doc["profile_options"] = self.profile_options
        if self.expected:
            doc["expected"] = self.expected
        return doc

    def needs_database(self) -> bool:
        p = self.principal or {}
        return any(bool((p.get(k) or {}).get("tags")) for k in ("key_metadata", "team_metadata"))

    def is_streaming(self) -> bool:
        return bool(self.request_body.get("stream")) or any(
            "stream_cut" in outs for outs in self.faults.values())
