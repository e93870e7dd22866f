"""Fast tests of the fake upstream: routing by path, keys, marker, fault queues, error shapes."""
import json
import socket
import time

import pytest
import requests

from routecheck_live.upstream import (FORBIDDEN_PHRASES, UNKEYED, FakeUpstream, FaultSyntaxError, Outcome,
                                      add_marker, parse_plan, run_id_of)


def post(up, dep, run_id=None, key="sk-rc-1", model=None, stream=False, timeout=5):
    body = {"model": model or dep, "messages": [{"role": "user", "content": "ping"}]}
    if stream:
        body["stream"] = True
    if run_id:
        body = add_marker(body, run_id)
    return requests.post(f"{up.api_base(dep)}/chat/completions", json=body,
                         headers={"Authorization": f"Bearer {key}"}, timeout=timeout, stream=stream)


@pytest.fixture
def up():
    with FakeUpstream(keys={"sk-rc-1": "openai", "sk-rc-2": "backup-1"}, timeout_hold_s=3) as u:
        yield u


def test_outcome_grammar():
    assert Outcome.parse("ok").kind == "ok"
    o = Outcome.parse("429@retry-after=1")
    assert (o.kind, o.status, o.retry_after) == ("status", 429, 1.0)
    assert str(o) == "429@retry-after=1"
    for bad in ["200", "600", "42", "boom", "500@retry-after=x"]:
        with pytest.raises(FaultSyntaxError):
            Outcome.parse(bad)
    with pytest.raises(FaultSyntaxError, match="deployment 'd1'"):
        parse_plan({"d1": ["ok", "nope"]})


def test_marker_round_trip():
    body = add_marker({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                                    {"role": "user", "content": "ping"}]}, "sc-1.ab12")
    assert body["messages"][2]["content"] == "ping [rc:sc-1.ab12]"
    assert run_id_of(body) == "sc-1.ab12"
    assert run_id_of({"messages": [{"role": "user", "content": "ping"}]}) is None
    parts = add_marker({"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}, "r~MP-1.0")
    assert run_id_of(parts) == "r~MP-1.0"


def test_success_and_record(up):
    r = post(up, "backup-1", run_id="r1", key="sk-rc-2")
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "backup-1"
    assert body["choices"][0]["finish_reason"] == "stop" and "usage" in body
    [call] = up.calls("r1")
    assert (call.deployment, call.key, call.outcome, call.model_mismatch) == ("backup-1", "backup-1", "ok", False)


def test_fault_queue_last_repeats_and_unnamed_ok(up):
    up.plan("r2", {"primary-1": ["500", "429@retry-after=2"]})
    assert post(up, "primary-1", "r2").status_code == 500
    r = post(up, "primary-1", "r2")
    assert r.status_code == 429 and r.headers["Retry-After"] == "2"
    assert post(up, "primary-1", "r2").status_code == 429
    assert post(up, "other-1", "r2").status_code == 200
    # another run id has its own queue
    assert post(up, "primary-1", "r3").status_code == 200
    assert [c.outcome for c in up.calls("r2")] == ["500", "429@retry-after=2", "429@retry-after=2", "ok"]


def test_error_body_shape_and_phrases(up):
    up.plan("r4", {"d": ["503"], "cw": ["context_window"], "cp": ["content_policy"]})
    for dep, status, code in [("d", 503, "503"), ("cw", 400, "context_length_exceeded"),
                              ("cp", 400, "content_policy_violation")]:
        r = post(up, dep, "r4")
        err = r.json()["error"]
        assert r.status_code == status and err["code"] == code and err["param"] is None
        assert not any(p in err["message"] for p in FORBIDDEN_PHRASES)


def test_unkeyed_and_unknown_key_and_mismatch(up):
    post(up, "primary-1")  # no marker
    assert [c.run_id for c in up.calls(UNKEYED)] == [UNKEYED]
    post(up, "primary-1", "r5", key="sk-unknown", model="something-else")
    [c] = up.calls("r5")
    assert c.key is None and c.raw_key == "sk-unknown" and c.model_mismatch


def test_refused_closes_without_answer(up):
    up.plan("r6", {"d": ["refused"]})
    with pytest.raises(requests.ConnectionError):
        post(up, "d", "r6")
    assert up.calls("r6")[0].outcome == "refused"


def test_timeout_holds_then_drops(up):
    up.plan("r7", {"d": ["timeout"]})
    t0 = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(up, "d", "r7", timeout=0.5)
    assert time.monotonic() - t0 < 2


def test_stream_and_stream_cut(up):
    r = post(up, "d", "r8", stream=True)
    text = r.text
    assert r.headers["Content-Type"].startswith("text/event-stream")
    assert text.rstrip().endswith("data: [DONE]")
    chunks = [json.loads(l[6:]) for l in text.splitlines() if l.startswith("data: {")]
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "routecheck ok from d"
    up.plan("r9", {"d": ["stream_cut"]})
    r = post(up, "d", "r9", stream=True)
    body = r.raw.read()
    assert b"[DONE]" not in body and b"routecheck" in body


def test_binds_loopback_port_zero():
    with FakeUpstream() as u:
        assert u.host == "127.0.0.1" and u.port > 0


def test_records_by_run_keep_arrival_order_and_forget(up):
    with requests.Session() as s:     # one kept-alive connection, answers written in one piece
        for rid in ("a", "b", "a", None):
            body = {"model": "backup-1", "messages": [{"role": "user", "content": "ping"}]}
            r = s.post(f"{up.api_base('backup-1')}/chat/completions", headers={"Authorization": "Bearer sk-rc-2"},
                       json=add_marker(body, rid) if rid else body, timeout=5)
            assert r.status_code == 200 and r.headers["Content-Length"] == str(len(r.content))
    assert [c.run_id for c in up.calls()] == ["a", "b", "a", UNKEYED]
    assert len(up.calls("a")) == 2
    up.forget("a")
    assert [c.run_id for c in up.calls()] == ["b", UNKEYED] and up.calls("a") == []


def test_load_generator_keeps_connections_alive_and_counts(up):
    from routecheck_live import loadgen
    body = json.dumps({"model": "backup-1", "messages": [{"role": "user", "content": "ping [rc:load.{n}]"}]})
    r = loadgen.run(f"{up.api_base('backup-1')}/chat/completions", body, {"Authorization": "Bearer sk-rc-2"},
                    connections=2, seconds=0.3, warmup=0.1)
    assert r["requests"] > 10 and set(r["statuses"]) == {"200"}
    assert len({c.run_id for c in up.calls()}) == len(up.calls())   # {n}: a fresh marker per request
    c = loadgen._Conn.__new__(loadgen._Conn)
    c.buf = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1"
    assert c.complete() == (200, len(c.buf) - len(b"HTTP/1.1"))
    c.buf = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"
    assert c.complete() is None


def test_marker_rides_in_prompt_and_input():
    assert run_id_of(add_marker({"prompt": "ping"}, "sc-2.cd34")) == "sc-2.cd34"      # /completions
    assert run_id_of(add_marker({"input": "ping"}, "sc-3.ef56")) == "sc-3.ef56"       # /responses, /embeddings
    assert run_id_of({"prompt": "ping"}) is None


@pytest.mark.parametrize("endpoint,object_", [("responses", "response"), ("completions", "text_completion"),
                                              ("embeddings", "list"), ("chat/completions", "chat.completion")])
def test_success_has_the_shape_of_the_endpoint_called(up, endpoint, object_):
    # LiteLLM cannot parse a chat completion answered to /responses: the answer must match the path
    body = add_marker({"model": "openai", "input": "ping", "prompt": "ping",
                       "messages": [{"role": "user", "content": "ping"}]}, "sc-4.ab12")
    r = requests.post(f"{up.api_base('openai')}/{endpoint}", json=body,
                      headers={"Authorization": "Bearer sk-rc-1"}, timeout=5)
    assert r.status_code == 200 and r.json()["object"] == object_
    if endpoint == "responses":
        assert r.json()["output"][0]["content"][0]["type"] == "output_text"
