"""Live tests: start a real LiteLLM proxy from the cached venv (run with `-m live`).

They need the venv installed by the launcher (it installs from harness/locks on first use, which
needs PyPI) and take about 15 s per proxy start."""
import json
from pathlib import Path

import pytest

from routecheck_live.cli import main
from routecheck_live.launcher import Proxy
from routecheck_live.replay import Replayer
from routecheck_live.scenario import Scenario

pytestmark = pytest.mark.live
PROBES = Path(__file__).resolve().parent.parent / "probes"
FAKE_ORACLE = str(Path(__file__).parent / "fixtures" / "fake_oracle.py")


def test_issue_25276_reproduces_on_1_82_3():
    [s] = Scenario.load(PROBES / "p30-issue-25276.json")
    with Proxy.launch("1.82.3", s.config) as proxy:
        obs = Replayer(proxy.url, proxy.master_key, proxy.upstream).replay(s)
        assert proxy.alive()
    assert obs.indeterminate_reason() is None
    assert obs.status == 401
    assert "Passed model=backup and tags=['Credential: openai']" in obs.error_message
    assert obs.upstream_sequence() == [{"deployment": "primary-1", "key": "openai"}]
    assert not proxy.alive()


def test_runner_labels_25276(tmp_path):
    code = main(["run", "--litellm", "1.82.3", "--scenarios", str(PROBES / "p30-issue-25276.json"),
                 "--oracle", FAKE_ORACLE, "--report", str(tmp_path), "--reruns", "2"])
    doc = json.loads((tmp_path / "results.json").read_text())
    [r] = doc["results"]
    assert code == 1 and r["verdict"] == "FAIL" and r["label"] == "known: #25276"
    assert r["reproductions"] == {"k": 2, "n": 2}
    assert r["first_divergence"].startswith("hop 1, attempt 0, group backup: the proxy denied by tags")


def test_runner_with_the_real_oracle(tmp_path):
    from routecheck_live.oracle import Oracle, OracleError
    try:
        oracle = Oracle.find(None)
    except OracleError:
        pytest.skip("no routecheck oracle built")
    code = main(["run", "--litellm", "1.82.3", "--oracle", oracle.path, "--report", str(tmp_path),
                 "--reruns", "1", "--skip-preflight", "--scenarios", str(PROBES / "p30-issue-25276.json"),
                 str(PROBES / "p30-masked-default.json"), str(PROBES / "p21-success-at-C.json")])
    doc = json.loads((tmp_path / "results.json").read_text())
    verdicts = {r["id"]: (r["verdict"], r["label"]) for r in doc["results"]}
    assert verdicts == {"p30-issue-25276": ("FAIL", "known: #25276"), "p30-masked-default": ("PASS", None),
                        "p21-success-at-C": ("PASS", None)}
    assert code == 1
