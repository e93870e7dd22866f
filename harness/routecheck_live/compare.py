"""Compares one live observation with the oracle's result (CONTRACT §3 live rule, §7 verdicts).

    comparison = compare(observation, oracle_result, mutant_results={"credential-tag-leak": r2})
    comparison.verdict            # Verdict.PASS / FAIL / INDETERMINATE / UNSUPPORTED
    comparison.first_divergence   # "hop 1, attempt 0, group backup: the proxy denied by tags [...] ..."
    comparison.raise_for_divergence()

Live PASS rule: the observed (status, ``x-litellm-model-id`` or none, upstream call sequence) equals
one of ``outcomes`` -> PASS; equals only an outcome under ``alternatives`` -> PASS with a warning
naming the rule; otherwise FAIL. On error responses LiteLLM 1.82.3 still sends the
``x-litellm-model-id`` of the last deployment it called; the id is compared on errors only when the
oracle's outcome states one.
"""
from __future__ import annotations

import ast
import enum
import re
from dataclasses import dataclass, field

TAG_DENIAL_RE = re.compile(
    r"Not allowed to access model due to tags configuration\. Passed model=(.*?) and tags=(.*?)(?:$|\n|\"|\. Received)",
    re.S)
MUTANT_LABELS = {"credential-tag-leak": "known: #25276"}


class Verdict(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    INDETERMINATE = "INDETERMINATE"
    UNSUPPORTED = "UNSUPPORTED"


def rule_label(rule: str) -> str:
    """``6.2-should`` -> ``SHOULD 6.2``; ``unverified-16`` -> ``UNVERIFIED 16``."""
    m = re.fullmatch(r"([0-9.]+)-should", rule)
    if m:
        return f"SHOULD {m.group(1)}"
    m = re.fullmatch(r"unverified-([0-9]+)", rule)
    if m:
        return f"UNVERIFIED {m.group(1)}"
    return rule


def tag_denial_of(message: str | None) -> dict | None:
    """``{"group": g, "tags": [...]}`` from a tag-denial text (tags parsed as a Python literal)."""
    if not message:
        return None
    m = TAG_DENIAL_RE.search(message)
    if not m:
        return None
    raw = m.group(2).strip()
    try:
        tags = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        tags = raw
    return {"group": m.group(1), "tags": tags}


def _calls(seq) -> list[tuple[str, str | None]]:
    return [(c.get("deployment"), c.get("key")) for c in seq or []]


def outcome_key(outcome: dict) -> tuple:
    headers = outcome.get("headers") or {}
    return outcome.get("status"), headers.get("x-litellm-model-id"), _calls(outcome.get("upstream_calls"))


def matches(observed: dict, outcome: dict) -> bool:
    """observed: {"status", "model_id", "upstream_calls"} (Observation.to_json() has these)."""
    status, model_id, calls = outcome_key(outcome)
    if observed.get("status") != status:
        return False
    if observed.get("upstream_calls") is not None and _calls(observed.get("upstream_calls")) != calls:
        return False   # None: not recorded (--target); status and model id decide
    if status == 200 or model_id is not None:
        return observed.get("model_id") == model_id
    return True


@dataclass
class Divergence(Exception):
    """A FAIL with its evidence (STYLE 11)."""

    scenario_id: str
    stage: str
    expected: list[dict]
    observed: dict
    label: str | None = None
    reproductions: tuple[int, int] | None = None

    def __str__(self) -> str:
        lab = f" ({self.label})" if self.label else ""
        return f"{self.scenario_id}: {self.stage}{lab}"


@dataclass
class Comparison:
    verdict: Verdict
    reason: str | None = None               # INDETERMINATE / UNSUPPORTED
    warnings: list[str] = field(default_factory=list)
    first_divergence: str | None = None
    label: str | None = None
    expected: dict = field(default_factory=dict)   # {"statuses", "served_by"}
    matched: dict | None = None
    scenario_id: str = ""
    observed: dict = field(default_factory=dict)
    outcomes: list[dict] = field(default_factory=list)

    def raise_for_divergence(self) -> None:
        if self.verdict is Verdict.FAIL:
            raise Divergence(self.scenario_id, self.first_divergence or "diverged", self.outcomes,
                             self.observed, self.label)


def expected_summary(result: dict) -> dict:
    return {"statuses": result.get("statuses", []), "served_by": result.get("served_by", [])}


def compare(observed: dict, result: dict, mutant_results: dict[str, dict] | None = None,
            indeterminate_reason: str | None = None) -> Comparison:
    """observed: Observation.to_json(); result: one oracle result line (CONTRACT §3)."""
    sid = result.get("id", "")
    base = dict(scenario_id=sid, expected=expected_summary(result), observed=observed,
                outcomes=result.get("outcomes") or [])
    if "error" in result:
        err = result["error"]
        v = Verdict.UNSUPPORTED if err.get("kind") == "unsupported" else Verdict.INDETERMINATE
        return Comparison(v, reason=f"oracle: {err.get('field', '')}: {err.get('message', '')}", **base)
    if indeterminate_reason:
        return Comparison(Verdict.INDETERMINATE, reason=indeterminate_reason, **base)
    if result.get("truncated"):
        return Comparison(Verdict.INDETERMINATE,
                          reason="the oracle enumerated more than 256 outcomes (truncated)", **base)
    for o in result.get("outcomes") or []:
        if matches(observed, o):
            return Comparison(Verdict.PASS, matched=o, **base)
    for alt in result.get("alternatives") or []:
        for o in alt.get("outcomes") or []:
            if matches(observed, o):
                label = rule_label(alt.get("rule", "?"))
                return Comparison(Verdict.PASS, matched=o, warnings=[
                    f"{label}: observed the alternative behaviour, not the intended one"], **base)
    label = None
    for mutant, mres in (mutant_results or {}).items():
        if any(matches(observed, o) for o in mres.get("outcomes") or []):
            label = mres.get("label") or MUTANT_LABELS.get(mutant, f"matches mutant {mutant}")
            break
    return Comparison(Verdict.FAIL, first_divergence=first_divergence(observed, result), label=label, **base)


def _closest(observed: dict, outcomes: list[dict]) -> dict | None:
    obs = _calls(observed.get("upstream_calls"))

    def score(o):
        exp = _calls(o.get("upstream_calls"))
        n = 0
        while n < min(len(obs), len(exp)) and obs[n] == exp[n]:
            n += 1
        return (n, o.get("status") == observed.get("status"), -abs(len(exp) - len(obs)))

    return max(outcomes, key=score) if outcomes else None


def _where(rec: dict | None) -> str:
    if not rec:
        return "final response"
    return f"hop {rec.get('hop', '?')}, attempt {rec.get('attempt', '?')}, group {rec.get('group', '?')}"


def _calling_records(trace: list[dict]) -> list[dict]:
    return [r for r in trace if str(r.get("outcome")) not in ("TAG_DENIED", "NO_DEPLOYMENTS")]


def first_divergence(observed: dict, result: dict) -> str:
    """The first stage at which the observation leaves the closest predicted outcome."""
    outcome = _closest(observed, result.get("outcomes") or [])
    if outcome is None:
        return "the oracle predicts no outcome"
    obs_calls = _calls(observed.get("upstream_calls"))
    exp_calls = _calls(outcome.get("upstream_calls"))
    trace = outcome.get("trace") or []
    calling = _calling_records(trace)
    denial = tag_denial_of(observed.get("error_message"))
    i = 0
    while i < min(len(obs_calls), len(exp_calls)) and obs_calls[i] == exp_calls[i]:
        i += 1
    if i < len(exp_calls):
        rec = calling[i] if i < len(calling) else None
        expect = (f"the oracle expects {exp_calls[i][0]} (key {exp_calls[i][1]})"
                  + (f", eligible {rec.get('eligible')}" if rec and rec.get("eligible") else "")
                  + (f" for the original tags {rec.get('tags_used', [])}" if rec is not None else ""))
        if i >= len(obs_calls):
            if denial:
                what = f"the proxy denied by tags {denial['tags']!r} and called no upstream"
            else:
                what = f"the proxy called no further upstream (status {observed.get('status')})"
        else:
            what = f"the proxy called {obs_calls[i][0]} (key {obs_calls[i][1]})"
        return f"{_where(rec)}: {what}; {expect}"
    if i < len(obs_calls):
        rec = calling[-1] if calling else (trace[-1] if trace else None)
        return (f"{_where(rec)}: the proxy made an extra upstream call to {obs_calls[i][0]} "
                f"(key {obs_calls[i][1]}); the oracle expects {len(exp_calls)} call(s) in all")
    rec = trace[-1] if trace else None
    exp_id = (outcome.get("headers") or {}).get("x-litellm-model-id")
    if observed.get("status") != outcome.get("status"):
        extra = f", denied by tags {denial['tags']!r} in group {denial['group']}" if denial else ""
        return (f"{_where(rec)}: the proxy answered {observed.get('status')}{extra}; the oracle expects "
                f"{outcome.get('status')} ({outcome.get('error_class')})")
    return (f"final response: x-litellm-model-id {observed.get('model_id')!r}; the oracle expects "
            f"{exp_id!r}")
