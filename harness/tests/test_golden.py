"""Golden files: the Markdown summary and the JUnit XML of a fixed report, byte for byte, with the
timestamps normalised. Regenerate after a deliberate change with
`ROUTECHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest harness/tests/test_golden.py` and review the diff."""
import os
import re
from pathlib import Path

from routecheck_live.compare import Verdict
from routecheck_live.report import Report, Reproducer, ScenarioResult

GOLDEN = Path(__file__).parent / "golden"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def fixed_report() -> Report:
    r = Report(target="litellm 1.82.3", profile="litellm-1.82", seed=1)
    r.notes.append("pre-flight: passed (cached)")
    r.add(ScenarioResult("masked-leak-default-tag", Verdict.PASS, expected={"statuses": [200], "served_by": ["backup-1"]}))
    leak = ScenarioResult(
        "issue-25276-credential-tag-leak", Verdict.FAIL, expected={"statuses": [200], "served_by": ["backup-1"]},
        observed={"status": 401, "served_by": None, "model_id": "primary-1",
                  "upstream_calls": [{"deployment": "primary-1", "key": "openai"}],
                  "error_message": "Error doing the fallback: Not allowed to access model due to tags configuration. "
                                   "Passed model=backup and tags=['Credential: openai']"},
        first_divergence="hop 1, attempt 0, group backup: the proxy denied by tags ['Credential: openai'] and "
                         "called no upstream; the oracle expects backup-1 (key backup-1)",
        reproductions=(3, 3), label="known: #25276", isolation={"verdict": "FAIL", "label": "known: #25276"},
        minimized="minimized/issue-25276-credential-tag-leak.json",
        minimized_summary="2 deployment(s) in 2 group(s) -> 2 deployment(s) in 2 group(s); confirmed live alone",
        reproducer=Reproducer("http://127.0.0.1:4000/v1/chat/completions",
                              {"Authorization": "Bearer sk-secret", "Content-Type": "application/json"},
                              {"model": "primary", "messages": [{"role": "user", "content": "ping [rc:x.1]"}]},
                              replay_command="routecheck-live run --litellm 1.82.3 --scenarios s.json --reruns 1"),
        maintainer={"config": "minimized/x.litellm.yaml", "verified": "litellm 1.82.3: 401",
                    "start": "export LITELLM_MASTER_KEY=\"sk-$(openssl rand -hex 16)\"; litellm --config x.yaml",
                    "curl": "curl -sS -i http://127.0.0.1:4000/v1/chat/completions -d '{}'"})
    r.add(leak)
    r.add(ScenarioResult("gen-1-7", Verdict.PASS, warnings=["UNVERIFIED 16: observed the alternative behaviour"]))
    r.add(ScenarioResult("dead", Verdict.INDETERMINATE, reason="no HTTP answer from the proxy: ConnectionError"))
    r.add(ScenarioResult("db", Verdict.UNSUPPORTED, reason="key/team principals need a database"))
    r.finish()
    return r


def check(name: str, text: str) -> None:
    text = STAMP.sub("<timestamp>", text)
    path = GOLDEN / name
    if os.environ.get("ROUTECHECK_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed; see the module text to regenerate"


def test_markdown_golden():
    check("summary.md", fixed_report().markdown())


def test_junit_golden():
    check("junit.xml", fixed_report().junit())
