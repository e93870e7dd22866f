"""Faults and bad input (harness issue): every misbehaving target ends in INDETERMINATE with the reason,
the run goes on, and the report is still written atomically; Ctrl-C writes a partial report.
Fast: the proxy is tests/fixtures/fake_proxy.py standing in for the `litellm` binary."""
import json
import socket
import sys
from pathlib import Path

import pytest

from routecheck_live import launcher
from routecheck_live.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
FAKE_ORACLE = str(FIXTURES / "fake_oracle.py")


class FakeVenv:
    def __init__(self, tmp_path):
        self.version, self.path, self.lock = "0.0.0", tmp_path, FIXTURES / "fake_proxy.py"
        self.wrapper = tmp_path / "litellm"
        self.wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {FIXTURES / 'fake_proxy.py'} \"$@\"\n")
        self.wrapper.chmod(0o755)

    def bin(self, name):
        return self.wrapper

    def check_clean(self):
        pass

    def source(self, relpath):
        return self.path / "pkg" / "litellm" / relpath   # no package: release_features finds nothing


@pytest.fixture
def fake_litellm(tmp_path, monkeypatch):
    venv = FakeVenv(tmp_path)
    monkeypatch.setattr(launcher.LiteLLMVenv, "ensure", classmethod(lambda cls, version, **kw: venv))
    return venv


def scenario(sid, mode, retries=0):
    return {"format": "routecheck-scenario/1", "id": sid,
            "config": {"model_list": [{"model_name": "g", "litellm_params": {"model": "x", "api_key": "sk-a"},
                                       "model_info": {"id": "d1"}}],
                       "router_settings": {"num_retries": retries},
                       "general_settings": {"fake_proxy_mode": mode}},
            "request": {"path": "/v1/chat/completions", "headers": {},
                        "body": {"model": "g", "messages": [{"role": "user", "content": "ping"}]}}}


def run(tmp_path, docs, *extra):
    paths = []
    for d in docs:
        p = tmp_path / f"{d['id']}.json"
        p.write_text(json.dumps(d))
        paths.append(str(p))
    code = main(["run", "--litellm", "1.82.3", "--oracle", FAKE_ORACLE, "--report", str(tmp_path / "r"),
                 "--skip-preflight", "--shrink-budget", "0", "--alone-share", "0", "--reruns", "1",
                 "--concurrency", "1", *extra, "--scenarios", *paths])
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    assert not [p for p in (tmp_path / "r").iterdir() if p.name.startswith(".")]  # atomic: no temp files
    return code, doc, {r["id"]: r for r in doc["results"]}


def test_healthy_fake_proxy_passes(tmp_path, fake_litellm):
    code, doc, by = run(tmp_path, [scenario("a", "ok"), scenario("b", "ok")])
    assert code == 0 and by["a"]["verdict"] == by["b"]["verdict"] == "PASS"
    assert doc["run"]["finished"]


def test_proxy_never_ready(tmp_path, fake_litellm):
    code, doc, by = run(tmp_path, [scenario("a", "never_ready")], "--ready-timeout", "2")
    assert code == 3 and by["a"]["verdict"] == "INDETERMINATE"
    assert "proxy unusable" in by["a"]["reason"] and "not ready after 2s" in by["a"]["reason"]
    assert doc["run"]["finished"]


def test_non_json_200(tmp_path, fake_litellm):
    code, _, by = run(tmp_path, [scenario("a", "non_json")])
    assert code == 3 and by["a"]["verdict"] == "INDETERMINATE"
    assert "200 with a non-JSON body" in by["a"]["reason"]


def test_timeout(tmp_path, fake_litellm):
    code, _, by = run(tmp_path, [scenario("a", "hang")], "--request-timeout", "1")
    assert code == 3 and "no HTTP answer within the client timeout" in by["a"]["reason"]


def test_unkeyed_upstream_call(tmp_path, fake_litellm):
    code, _, by = run(tmp_path, [scenario("a", "unkeyed")])
    assert code == 3 and by["a"]["verdict"] == "INDETERMINATE"
    assert by["a"]["reason"].startswith("unkeyed upstream call: 1 call(s) without a run marker")


def test_proxy_killed_mid_run_and_the_run_goes_on(tmp_path, fake_litellm):
    # a, b, c share one proxy (same settings), which dies on the second request; d has its own proxy
    docs = [scenario("a", "die_on_2nd"), scenario("b", "die_on_2nd"), scenario("c", "die_on_2nd"),
            scenario("d", "ok", retries=1)]
    code, doc, by = run(tmp_path, docs)
    assert by["a"]["verdict"] == "PASS"
    assert by["b"]["verdict"] == "INDETERMINATE" and "the proxy process exited with 9" in by["b"]["reason"]
    assert by["c"]["verdict"] == "INDETERMINATE" and by["c"]["reason"].startswith("not replayed: the proxy")
    assert by["d"]["verdict"] == "PASS"
    assert code == 3 and doc["run"]["finished"]


def test_connection_refused_target(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]   # closed again when the block ends: nothing listens there
    p = tmp_path / "a.json"
    p.write_text(json.dumps(scenario("a", "ok")))
    code = main(["run", "--target", f"http://127.0.0.1:{port}", "--profile", "litellm-1.82", "--oracle",
                 FAKE_ORACLE, "--report", str(tmp_path / "r"), "--scenarios", str(p), "--shrink-budget", "0"])
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    [r] = doc["results"]
    assert code == 3 and r["verdict"] == "INDETERMINATE" and "ConnectionError" in r["reason"]
    assert any("not recorded" in n for n in doc["notes"])


def test_ctrl_c_writes_a_partial_report(tmp_path, fake_litellm, monkeypatch):
    from routecheck_live import runner
    real = runner.LiveRun._run_batch
    batches = []

    def interrupt_on_second(self, batch, *rest):
        batches.append(batch)
        if len(batches) == 2:
            raise KeyboardInterrupt     # while batch 2's proxy, started ahead, is up or starting
        return real(self, batch, *rest)

    monkeypatch.setattr(runner.LiveRun, "_run_batch", interrupt_on_second)
    code, doc, by = run(tmp_path, [scenario("a", "ok"), scenario("d", "ok", retries=1)])
    assert code == 130
    assert doc["run"]["finished"] is None and "interrupted (Ctrl-C): partial report" in doc["notes"]
    assert by["a"]["verdict"] == "PASS" and "d" not in by


def test_proxy_started_ahead_does_not_remap_the_running_batchs_keys(tmp_path, fake_litellm):
    """Fake keys are numbered per config (sk-rc-1, ...): the next batch's proxy, started while this
    batch replays, must not teach the fake upstream its own meaning of sk-rc-1 before its turn."""
    first = [scenario(f"a{i}", "ok") for i in range(6)]           # one batch, namespaced
    other = scenario("b", "ok", retries=1)                         # another batch: its key sk-rc-1 is e1's
    other["config"]["model_list"][0]["model_info"]["id"] = "e1"
    code, doc, by = run(tmp_path, first + [other])
    assert code == 0, [(r["id"], r["verdict"], r.get("first_divergence")) for r in doc["results"]]
    assert all(by[f"a{i}"]["observed"]["upstream_calls"] == [{"deployment": "d1", "key": "d1"}] for i in range(6))
