"""The gate against a real LiteLLM 1.82.3 (run with `-m live`; about 1.5 minutes warm).

Green with the repo's expectation file; red, naming the scenario, when the #25276 entry is removed
from it or when an unlisted divergence (a renamed copy of the #25276 scenario) is planted."""
import json
from pathlib import Path

import pytest

from routecheck_live.cli import main

pytestmark = pytest.mark.live
REPO = Path(__file__).resolve().parent.parent.parent
EXP = REPO / "corpus" / "expectations" / "litellm-1.82.3.json"
LEAK = "issue-25276-credential-tag-leak"


def gate(tmp_path, *args):
    return main(["gate", "--litellm", "1.82.3", "--report", str(tmp_path / "report"), "--skip-preflight", *args])


def test_gate_is_green_on_1_82_3_with_the_repo_expectations(tmp_path, capsys):
    assert gate(tmp_path, "--size", "4", "--generate", "6") == 0
    out = capsys.readouterr().out
    assert f"known: {LEAK} (known: #25276)" in out
    assert "gate: no change" in out
    doc = json.loads((tmp_path / "report" / "gate.json").read_text())
    assert doc["summary"]["changes"] == 0 and doc["summary"]["known"] >= 3


def test_gate_is_red_naming_25276_when_its_entry_is_removed(tmp_path, capsys):
    doc = json.loads(EXP.read_text())
    del doc["expected_failures"][LEAK]
    exp = tmp_path / "exp.json"
    exp.write_text(json.dumps(doc))
    assert gate(tmp_path, "--expectations", str(exp), "--size", "0", "--generate", "0") == 1
    out = capsys.readouterr().out
    assert f"NEW FAIL: {LEAK} (known: #25276)" in out and "gate: CHANGED" in out
    assert f'name="{LEAK}"' in (tmp_path / "report" / "gate-junit.xml").read_text()


def test_gate_is_red_naming_a_planted_unlisted_divergence(tmp_path, capsys):
    doc = json.loads((REPO / "corpus" / "scenarios" / f"{LEAK}.json").read_text())
    doc["id"] = "planted-credential-leak"
    planted = tmp_path / "planted.json"
    planted.write_text(json.dumps(doc))
    assert gate(tmp_path, "--no-curated", "--scenarios", str(planted), "--size", "0", "--generate", "0") == 1
    out = capsys.readouterr().out
    assert "NEW FAIL: planted-credential-leak (known: #25276)" in out
