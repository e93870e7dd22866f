"""routecheck-live run: input errors exit 2 naming file and field; an unusable proxy gives INDETERMINATE."""
import json
from pathlib import Path

import pytest

from routecheck_live.cli import main
from routecheck_live.profile import UnknownVersion, profile_for

FAKE_ORACLE = str(Path(__file__).parent / "fixtures" / "fake_oracle.py")


def write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return p


def test_profile_table():
    assert profile_for("1.82.3") == "litellm-1.82"
    assert profile_for("1.108.7") == "litellm-latest"
    with pytest.raises(UnknownVersion):
        profile_for("1.70.0")


def test_bad_scenario_exits_2_naming_file_and_field(tmp_path, scenario_25276, capsys):
    bad = dict(scenario_25276, faults={"primary-1": ["600"]})
    p = write(tmp_path, "bad.json", bad)
    code = main(["run", "--litellm", "1.82.3", "--scenarios", str(p), "--oracle", FAKE_ORACLE,
                 "--report", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "bad.json" in err and "faults.primary-1" in err


def test_oracle_input_error_exits_2(tmp_path, scenario_25276, capsys):
    doc = json.loads(json.dumps(scenario_25276))
    doc["config"]["bad"] = True
    p = write(tmp_path, "s.json", doc)
    code = main(["run", "--litellm", "1.82.3", "--scenarios", str(p), "--oracle", FAKE_ORACLE,
                 "--report", str(tmp_path / "r")])
    assert code == 2 and "/config/bad" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["run", "--litellm", "1.70.0", "--scenarios", "x", "--oracle", FAKE_ORACLE]) == 2
    assert "pass --profile" in capsys.readouterr().err
    assert main(["run", "--target", "http://10.0.0.1:4000", "--profile", "litellm-1.82", "--scenarios", "x",
                 "--oracle", FAKE_ORACLE]) == 2
    assert main(["run", "--bogus"]) == 2
    assert main(["run", "--litellm", "1.82.3", "--scenarios", str(tmp_path / "missing.json"),
                 "--oracle", FAKE_ORACLE]) == 2


def test_unusable_proxy_gives_indeterminate_and_report(tmp_path, scenario_25276, monkeypatch):
    # a version with a profile but no lock: the launcher refuses, the run goes on and writes its report
    monkeypatch.setattr("routecheck_live.cli.profile_for", lambda v: "litellm-1.82")
    p = write(tmp_path, "s.json", scenario_25276)
    code = main(["run", "--litellm", "1.82.99", "--scenarios", str(p), "--oracle", FAKE_ORACLE,
                 "--report", str(tmp_path / "r")])
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert code == 3
    assert doc["results"][0]["verdict"] == "INDETERMINATE" and "no hash lock" in doc["results"][0]["reason"]
    assert doc["run"]["finished"]


def test_streaming_is_unsupported(tmp_path, scenario_25276, monkeypatch):
    doc = json.loads(json.dumps(scenario_25276))
    doc["request"]["body"]["stream"] = True
    p = write(tmp_path, "s.json", doc)
    code = main(["run", "--litellm", "1.82.3", "--scenarios", str(p), "--oracle", FAKE_ORACLE,
                 "--report", str(tmp_path / "r"), "--skip-preflight"])
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert code == 0 and doc["results"][0]["verdict"] == "UNSUPPORTED"
