"""Report writers: atomic results.json, JUnit XML, Markdown with a curl reproducer."""
import json
import xml.etree.ElementTree as ET

from routecheck_live.compare import Verdict
from routecheck_live.report import Report, Reproducer, ScenarioResult


def sample_report():
    r = Report(target="litellm 1.82.3", profile="litellm-1.82", seed=11)
    r.add(ScenarioResult("ok-1", Verdict.PASS, expected={"statuses": [200], "served_by": ["a"]}))
    r.add(ScenarioResult(
        "p30-issue-25276", Verdict.FAIL, expected={"statuses": [200], "served_by": ["backup-1"]},
        observed={"status": 401, "served_by": None, "upstream_calls": [{"deployment": "primary-1", "key": "openai"}],
                  "error_message": "... tags=['Credential: openai']"},
        first_divergence="hop 1, attempt 0, group backup: the proxy denied", reproductions=(3, 3),
        label="known: #25276",
        reproducer=Reproducer("http://127.0.0.1:4000/v1/chat/completions",
                              {"Authorization": "Bearer sk-secret", "Content-Type": "application/json"},
                              {"model": "primary", "messages": [{"role": "user", "content": "ping [rc:x.1]"}]},
                              replay_command="routecheck-live run --litellm 1.82.3 --scenarios x.json")))
    r.add(ScenarioResult("dead", Verdict.INDETERMINATE, reason="no HTTP answer from the proxy"))
    r.add(ScenarioResult("db", Verdict.UNSUPPORTED, reason="needs a database"))
    return r


def test_results_json_partial_then_finished(tmp_path):
    r = sample_report()
    r.write(tmp_path)
    doc = json.loads((tmp_path / "results.json").read_text())
    assert doc["run"]["finished"] is None
    assert doc["summary"] == {"PASS": 1, "FAIL": 1, "INDETERMINATE": 1, "UNSUPPORTED": 1, "warnings": 0}
    fail = doc["results"][1]
    assert fail["reproductions"] == {"k": 3, "n": 3} and fail["label"] == "known: #25276"
    assert "sk-secret" not in (tmp_path / "results.json").read_text()
    r.finish()
    r.write(tmp_path)
    assert json.loads((tmp_path / "results.json").read_text())["run"]["finished"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left
    assert r.exit_code() == 1


def test_junit_and_markdown(tmp_path):
    r = sample_report()
    r.write(tmp_path, junit=tmp_path / "j.xml")
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.get("tests") == "4" and suite.get("failures") == "1" and suite.get("skipped") == "1"
    md = (tmp_path / "summary.md").read_text()
    assert "## FAIL: p30-issue-25276 (3/3) — known: #25276" in md
    assert 'curl -sS -i -X POST http://127.0.0.1:4000/v1/chat/completions -H "Authorization: Bearer $ROUTECHECK_MASTER_KEY"' in md
    assert "sk-secret" not in md


def test_exit_codes():
    r = Report("t", "litellm-1.82")
    assert r.exit_code() == 0
    r.add(ScenarioResult("x", Verdict.INDETERMINATE, reason="r"))
    assert r.exit_code() == 3


def test_every_results_json_field_is_in_contract_section_10():
    """docs/CONTRACT.md §10 names every field results.json can carry (keeps the contract true)."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "docs" / "CONTRACT.md").read_text()
    section = text[text.index("## 10. Live report"):text.index("## Project amendments")]
    r = sample_report()
    r.run["first_fail_s"] = 1.5
    r.run["release_features"] = {"tag_regex": True, "tag_operators": False}
    r.notes.append("pre-flight: x")
    full = r.results[1]
    full.reason, full.minimized, full.minimized_summary = "r", "minimized/x.json", "a -> b"
    full.isolation = {"verdict": "FAIL", "label": "known: #25276"}
    full.minimized_reproducer = full.reproducer
    full.maintainer = {"config": "c.yaml", "start": "litellm ...", "curl": "curl ...", "verified": "litellm 1.82.3: 401"}
    full.observed = {"status": 401, "served_by": None, "model_id": "p", "upstream_calls": [], "headers": {},
                     "error_message": None, "elapsed": 0.1, "transport_error": None, "run_id": "x.1"}
    doc = r.to_json()

    def keys(obj, out):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if not k.startswith("x-litellm-") and k not in ("PASS", "FAIL", "INDETERMINATE", "UNSUPPORTED"):
                    out.add(k)
                if k != "headers":
                    keys(v, out)
        elif isinstance(obj, list):
            for v in obj:
                keys(v, out)
        return out

    missing = sorted(k for k in keys(doc, set()) if not re.search(rf"`{re.escape(k)}`|\"{re.escape(k)}\"", section))
    assert not missing, f"results.json fields not named in CONTRACT.md §10: {missing}"
