"""What the replayer puts on the wire (CONTRACT §9: the User-Agent is the scenario's, or none)."""
import http.server
import threading

import pytest

from routecheck_live.replay import Replayer
from routecheck_live.report import Reproducer
from routecheck_live.scenario import Scenario


@pytest.fixture
def echo_server():
    """A loopback server that records the headers of each POST and answers 200 with a small JSON body."""
    seen: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append({k.lower(): v for k, v in self.headers.items()})
            body = b'{"id": "x", "choices": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}", seen
    srv.shutdown()


def _scenario(headers: dict) -> Scenario:
    return Scenario.from_json({
        "format": "routecheck-scenario/1", "id": "ua",
        "config": {"model_list": [{"model_name": "primary", "model_info": {"id": "primary-1"},
                                   "litellm_params": {"model": "openai/primary-1", "api_key": "sk-x"}}]},
        "request": {"path": "/v1/chat/completions", "headers": headers,
                    "body": {"model": "primary", "messages": [{"role": "user", "content": "hi"}]}},
    }, "<test>")


def test_a_scenario_without_user_agent_is_sent_without_one(echo_server):
    url, seen = echo_server
    Replayer(url, "sk-test", None).replay(_scenario({}))
    assert "user-agent" not in seen[-1], seen[-1]   # not even urllib3's "python-urllib3/x"


def test_a_scenario_user_agent_is_sent_as_given(echo_server):
    url, seen = echo_server
    Replayer(url, "sk-test", None).replay(_scenario({"User-Agent": "claude-code/1.0"}))
    assert seen[-1]["user-agent"] == "claude-code/1.0"


def test_the_curl_reproducer_also_sends_no_user_agent():
    url, headers, body = Replayer("http://127.0.0.1:4000", "sk-test", None).request_for(_scenario({}), "ua.1")
    curl = Reproducer(url=url, headers={k: v for k, v in headers.items() if v is not None}, body=body).curl()
    assert "-H User-Agent:" in curl and "SKIP" not in curl, curl
