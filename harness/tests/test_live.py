"""End-to-end tests against a real LiteLLM (run with `-m live`; together about 4-5 minutes warm).

From a fresh clone they need the oracle built (`cmake --build build`) and PyPI for the first use: the
launcher installs each LiteLLM into its cached venv from harness/locks (about 35 s), and the pre-flight
probes run once per venv (about 20 s). Each proxy start takes about 8 s."""
import json
from pathlib import Path

import pytest

from routecheck_live.cli import main
from routecheck_live.launcher import Proxy
from routecheck_live.oracle import Oracle, OracleError
from routecheck_live.replay import Replayer
from routecheck_live.scenario import Scenario

pytestmark = pytest.mark.live
HARNESS = Path(__file__).resolve().parent.parent
PROBES = HARNESS / "probes"
CORPUS = HARNESS.parent / "corpus" / "scenarios"
FAKE_ORACLE = str(Path(__file__).parent / "fixtures" / "fake_oracle.py")
SEED = 1          # `routecheck gen --seed 1 --live-safe`: gen-1-35 is the first #25276 leak (8 in all)


@pytest.fixture(scope="module")
def oracle():
    try:
        return Oracle.find(None)
    except OracleError as e:
        pytest.fail(f"the live end-to-end tests need the oracle: {e}")


def results(report_dir):
    doc = json.loads((Path(report_dir) / "results.json").read_text())
    return doc, {r["id"]: r for r in doc["results"]}


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


def test_runner_labels_25276_with_the_fake_oracle(tmp_path):
    code = main(["run", "--litellm", "1.82.3", "--scenarios", str(PROBES / "p30-issue-25276.json"),
                 "--oracle", FAKE_ORACLE, "--report", str(tmp_path), "--reruns", "2", "--shrink-budget", "0"])
    _, by_id = results(tmp_path)
    r = by_id["p30-issue-25276"]
    assert code == 1 and r["verdict"] == "FAIL" and r["label"] == "known: #25276"
    assert r["reproductions"] == {"k": 2, "n": 2}
    assert r["first_divergence"].startswith("hop 1, attempt 0, group backup: the proxy denied by tags")


def test_25276_fails_known_masked_passes_and_shrinks(tmp_path, oracle):
    """The #25276 scenario and a scenario 1.82.3 handles correctly, batched on one proxy; the FAIL is
    minimized offline, confirmed live alone, and turned into a LiteLLM-only reproducer."""
    code = main(["run", "--litellm", "1.82.3", "--oracle", oracle.path, "--report", str(tmp_path),
                 "--reruns", "2", "--alone-share", "0", "--shrink-budget", "120", "--scenarios",
                 str(CORPUS / "issue-25276-credential-tag-leak.json"), str(CORPUS / "masked-leak-default-tag.json")])
    doc, by_id = results(tmp_path)
    assert code == 1
    leak = by_id["issue-25276-credential-tag-leak"]
    assert (leak["verdict"], leak["label"], leak["observed"]["status"]) == ("FAIL", "known: #25276", 401)
    assert leak["observed"]["upstream_calls"] == [{"deployment": "primary-1", "key": "openai"}]
    assert leak["reproductions"] == {"k": 2, "n": 2}
    assert by_id["masked-leak-default-tag"]["verdict"] == "PASS"
    assert doc["run"]["finished"] and doc["run"]["first_fail_s"] is not None
    # shrinking: a minimal scenario that still FAILs live alone
    assert leak["minimized"] == "minimized/issue-25276-credential-tag-leak.json"
    small = json.loads((tmp_path / leak["minimized"]).read_text())
    assert len(small["config"]["model_list"]) == 2 and small["faults"] == {"primary-1": ["500"]}
    assert "confirmed live alone" in leak["minimized_reproduce"]["summary"]
    assert leak["maintainer_reproduce"]["verified"].startswith("litellm 1.82.3: 401")
    assert "--scenarios" in leak["minimized_reproduce"]["replay"]


def test_generate_finds_25276_on_its_own(tmp_path, oracle):
    """300 live-safe generated scenarios, batched (CONTRACT §9), find the #25276 leak unaided."""
    code = main(["run", "--litellm", "1.82.3", "--oracle", oracle.path, "--report", str(tmp_path),
                 "--generate", "300", "--seed", str(SEED), "--reruns", "1", "--alone-share", "0.01",
                 "--shrink-budget", "0", "--concurrency", "16"])
    doc, by_id = results(tmp_path)
    assert code == 1
    assert doc["summary"]["PASS"] + doc["summary"]["FAIL"] >= 290, doc["summary"]
    known = [r for r in doc["results"] if r["verdict"] == "FAIL" and r["label"] == "known: #25276"]
    assert known, "no generated scenario was labelled known: #25276"
    assert any(r["observed"]["status"] == 401 for r in known)
    first = min(int(r["id"].rsplit("-", 1)[1]) for r in known)
    print(f"first #25276 FAIL: generated scenario #{first + 1} of seed {SEED}; "
          f"{len(known)} in all; first FAIL {doc['run']['first_fail_s']}s into the run")
