"""routecheck-live gate without a proxy: expectation files, the change rule, subsets, bad input.

The live run is replaced by a stand-in that writes the results a LiteLLM 1.82.3 run gives for the
curated corpus (the #25276 FAILs), so the comparison is tested end to end through the CLI."""
import json
from pathlib import Path

import pytest

from routecheck_live import gate as gate_mod
from routecheck_live.cli import main
from routecheck_live.expectations import Expectations, Expected, ExpectationError, check_one
from routecheck_live.gate import stable_subset
from routecheck_live.scenario import Scenario

REPO = Path(__file__).resolve().parent.parent.parent
EXP_1823 = REPO / "corpus" / "expectations" / "litellm-1.82.3.json"
LEAK = "issue-25276-credential-tag-leak"


def exp_with(**fails) -> Expectations:
    return Expectations("litellm 1.82.3", "litellm-1.82", {k: Expected(*v) for k, v in fails.items()})


# --- the change rule --------------------------------------------------------------------------------
def test_listed_fail_is_known_unlisted_is_new_passing_listed_is_stale():
    exp = exp_with(a=("known: #25276", "d"), b=(None, "d"))
    assert check_one("a", "FAIL", "known: #25276", "d", exp).kind == "known"
    assert check_one("c", "FAIL", None, "x", exp).kind == "new"
    assert check_one("b", "PASS", None, None, exp).kind == "stale"
    assert check_one("c", "PASS", None, None, exp).kind == "pass"
    assert check_one("b", "FAIL", "known: #25276", "d", exp).kind == "changed"
    for kind in ("new", "stale", "changed"):
        assert check_one("x", "FAIL", None, None, exp_with()).is_change or kind != "new"
    assert check_one("a", "INDETERMINATE", None, None, exp).kind == "indeterminate"
    assert not check_one("a", "INDETERMINATE", None, None, exp).is_change


def test_a_flaky_entry_that_passes_once_is_known_not_stale():
    exp = Expectations("t", "litellm-1.82", {"a": Expected(None, "d", True)})
    c = check_one("a", "PASS", None, None, exp)
    assert c.kind == "known" and not c.is_change and "flaky" in c.line()
    assert exp.updated([c]).failures["a"].first_divergence == "d"


def test_update_keeps_entries_not_run_and_drops_stale_ones():
    exp = exp_with(a=(None, "d"), b=(None, "d"), notrun=("known: #25276", "d"))
    checks = [check_one("a", "PASS", None, None, exp), check_one("b", "FAIL", None, "d2", exp),
              check_one("new", "FAIL", "known: #25276", "d3", exp)]
    checks[1].reproductions = (1, 2)
    up = exp.updated(checks)
    assert set(up.failures) == {"b", "new", "notrun"}
    assert up.failures["b"].first_divergence == "d2" and up.failures["b"].flaky


@pytest.mark.parametrize("doc,field", [
    ({"format": "x"}, "format"),
    ({"format": "routecheck-expectations/1", "target": "", "profile": "p", "expected_failures": {}}, "target"),
    ({"format": "routecheck-expectations/1", "target": "t", "profile": "p", "expected_failures": []},
     "expected_failures"),
    ({"format": "routecheck-expectations/1", "target": "t", "profile": "p",
      "expected_failures": {"a": {"label": 3}}}, "expected_failures.a.label"),
    ({"format": "routecheck-expectations/1", "target": "t", "profile": "p",
      "expected_failures": {"a": {"lable": "x"}}}, "expected_failures.a.lable"),
])
def test_bad_expectation_files_name_the_field(doc, field):
    with pytest.raises(ExpectationError, match=f"exp.json: {field}: "):
        Expectations.from_json(doc, "exp.json")


def test_repo_expectation_files_parse_and_list_25276():
    for name in ("litellm-1.82.3.json", "litellm-1.108.7.json"):
        Expectations.load(REPO / "corpus" / "expectations" / name)
    exp = Expectations.load(EXP_1823)
    assert exp.failures[LEAK].label == "known: #25276"
    assert exp.failures[LEAK].first_divergence.startswith("hop 1, attempt 0, group backup: the proxy denied")


def test_stable_subset_is_deterministic_and_prefix_closed():
    docs = [Scenario.from_json({"format": "routecheck-scenario/1", "id": f"s{i}",
                                "config": {"model_list": []}, "request": {"body": {"model": "m"}}})
            for i in range(50)]
    a = [s.id for s in stable_subset(docs, 10)]
    assert a == [s.id for s in stable_subset(list(docs), 10)]
    assert set(a) <= {s.id for s in stable_subset(docs, 20)}
    assert len(stable_subset(docs, 10)) == 10 and len(stable_subset(docs, None)) == 50


# --- the gate end to end, the live run replaced -----------------------------------------------------
class FakeRun:
    """Writes what LiteLLM 1.82.3 gives for the scenarios: what the repo's expectation file lists FAILs
    (the #25276 shapes labelled), the rest PASS."""

    passes = set()

    def __init__(self, settings, oracle, scenarios):
        self.settings, self.scenarios = settings, scenarios

    def execute(self):
        res = []
        listed = Expectations.load(EXP_1823).failures
        for s in self.scenarios:
            if s.id in listed and s.id not in self.passes:
                res.append({"id": s.id, "verdict": "FAIL", "label": listed[s.id].label,
                            "first_divergence": listed[s.id].first_divergence, "reproductions": {"k": 2, "n": 2}})
            else:
                res.append({"id": s.id, "verdict": "PASS", "label": None, "first_divergence": None})
        d = Path(self.settings.report_dir)
        d.mkdir(parents=True, exist_ok=True)
        (d / "results.json").write_text(json.dumps({"results": res}))
        return 1 if any(r["verdict"] == "FAIL" for r in res) else 0


@pytest.fixture
def fake_run(monkeypatch):
    FakeRun.passes = set()
    monkeypatch.setattr(gate_mod, "LiveRun", FakeRun)
    monkeypatch.setattr(gate_mod, "CURATED", REPO / "corpus" / "scenarios")
    return FakeRun


def gate(tmp_path, exp_path, *extra):
    return main(["gate", "--litellm", "1.82.3", "--expectations", str(exp_path), "--size", "0",
                 "--generate", "0", "--report", str(tmp_path / "r"), *extra])


def doctored(tmp_path, drop=(), add=None) -> Path:
    doc = json.loads(EXP_1823.read_text())
    for k in drop:
        del doc["expected_failures"][k]
    doc["expected_failures"].update(add or {})
    p = tmp_path / "exp.json"
    p.write_text(json.dumps(doc))
    return p


def test_gate_is_green_when_nothing_changed(tmp_path, fake_run, capsys):
    assert gate(tmp_path, doctored(tmp_path)) == 0
    out = capsys.readouterr().out
    assert f"known: {LEAK} (known: #25276)" in out and "gate: no change" in out
    assert json.loads((tmp_path / "r" / "gate.json").read_text())["summary"]["changes"] == 0


def test_gate_fails_naming_the_scenario_when_its_entry_is_removed(tmp_path, fake_run, capsys):
    assert gate(tmp_path, doctored(tmp_path, drop=[LEAK])) == 1
    out = capsys.readouterr().out
    assert f"NEW FAIL: {LEAK} (known: #25276)" in out and "gate: CHANGED" in out
    junit = (tmp_path / "r" / "gate-junit.xml").read_text()
    assert f'name="{LEAK}"' in junit and "<failure" in junit


def test_gate_fails_on_a_stale_entry_and_update_rewrites_it(tmp_path, fake_run, capsys):
    fake_run.passes = {LEAK}
    exp = doctored(tmp_path)
    assert gate(tmp_path, exp) == 1
    assert f"STALE: {LEAK} is listed as a FAIL" in capsys.readouterr().out
    assert gate(tmp_path, exp, "--update-expectations") == 0
    assert LEAK not in json.loads(exp.read_text())["expected_failures"]
    assert gate(tmp_path, exp) == 0


def test_gate_bad_input_exits_2_naming_file_and_field(tmp_path, fake_run, capsys):
    p = tmp_path / "exp.json"
    p.write_text(json.dumps({"format": "routecheck-expectations/1", "target": "t", "profile": "litellm-latest",
                             "expected_failures": {}}))
    assert gate(tmp_path, p) == 2
    assert f"{p}: profile: the file is for 'litellm-latest'" in capsys.readouterr().err
    p.write_text("{")
    assert gate(tmp_path, p) == 2
    assert f"{p}: (file): not JSON" in capsys.readouterr().err
    assert gate(tmp_path, tmp_path / "missing.json") == 2
    assert main(["gate", "--litellm", "1.82.7", "--expectations", str(p)]) == 2
    assert "denylisted" in capsys.readouterr().err
    assert main(["gate", "--litellm", "1.82.3", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: (file): no such config file" in capsys.readouterr().err
    assert gate(tmp_path, doctored(tmp_path), "--size", "-1") == 2


def test_nothing_judged_is_exit_3_and_update_leaves_the_file(tmp_path, monkeypatch, capsys):
    class DeadTarget(FakeRun):
        def execute(self):
            d = Path(self.settings.report_dir)
            d.mkdir(parents=True, exist_ok=True)
            (d / "results.json").write_text(json.dumps({"results": [
                {"id": s.id, "verdict": "INDETERMINATE", "reason": "proxy unusable: exited 1"}
                for s in self.scenarios]}))
            return 3
    monkeypatch.setattr(gate_mod, "LiveRun", DeadTarget)
    exp = doctored(tmp_path)
    before = exp.read_text()
    assert gate(tmp_path, exp, "--update-expectations") == 3
    assert exp.read_text() == before
    out = capsys.readouterr().out
    assert "warning: 7 INDETERMINATE" in out and "no scenario could be judged" in out
