"""The fake upstream provider: an OpenAI-compatible server on 127.0.0.1 that answers from fault plans.

Each deployment of a rewritten config points at ``http://127.0.0.1:<port>/d/<id>/v1`` (CONTRACT §9), so
the server knows the deployment from the path (cross-checked with the body's ``model``), the key
identity from ``Authorization`` and the scenario run from the marker `` [rc:<run-id>]`` at the end of
the last user message. Fault plans are queues keyed by (run-id, deployment id): one outcome per call,
the last one repeats, a deployment without a plan answers ``ok``. Every call is recorded.

    with FakeUpstream(keys={"sk-rc-1": "openai"}) as upstream:
        upstream.plan("run-1", {"primary-1": ["500"], "backup-1": ["ok"]})
        ...
        upstream.calls("run-1")  # -> [Call(deployment="primary-1", key="openai", ...), ...]
"""
from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Mapping

UNKEYED = "unkeyed"
MARKER_RE = re.compile(r" \[rc:([A-Za-z0-9._~:@+-]+)\]\s*$")
PATH_RE = re.compile(r"^/d/([^/]+)/v1/(chat/completions|completions|responses|embeddings)$")

# Message texts chosen so that LiteLLM's exception mapping classifies them (semantics §11.5), and so
# that they never contain the phrases the proxy rewrites into 429/401 (semantics §9.1).
CONTEXT_WINDOW_MESSAGE = (
    "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 "
    "tokens. Please reduce the length of the messages."
)
CONTENT_POLICY_MESSAGE = (
    "Your request was rejected as a result of the safety system. Your prompt may contain text that "
    "is not allowed by the safety system."
)
FORBIDDEN_PHRASES = ("No deployments available", "No healthy deployment available",
                     "Not allowed to access model")


class FaultSyntaxError(ValueError):
    """An outcome string outside the grammar of CONTRACT §2; carries the offending text."""

    def __init__(self, text: str, reason: str):
        super().__init__(f"fault outcome {text!r}: {reason} (expected ok | timeout | context_window | "
                         f"content_policy | refused | stream_cut | <400-599>[@retry-after=<seconds>])")
        self.text = text


@dataclass(frozen=True)
class Outcome:
    """One entry of a fault plan (CONTRACT §2)."""

    kind: str                      # ok, timeout, context_window, content_policy, refused, stream_cut, status
    status: int | None = None      # for kind == "status"
    retry_after: float | None = None

    KINDS = ("ok", "timeout", "context_window", "content_policy", "refused", "stream_cut")

    @classmethod
    def parse(cls, text: str) -> "Outcome":
        if not isinstance(text, str):
            raise FaultSyntaxError(repr(text), f"expected a string, got {type(text).__name__}")
        t = text.strip()
        if t in cls.KINDS:
            return cls(t)
        m = re.fullmatch(r"([0-9]{3})(?:@retry-after=([0-9]+(?:\.[0-9]+)?))?", t)
        if not m:
            raise FaultSyntaxError(text, "not a known outcome")
        status = int(m.group(1))
        if not 400 <= status <= 599:
            raise FaultSyntaxError(text, f"status {status} is outside 400-599")
        return cls("status", status, float(m.group(2)) if m.group(2) is not None else None)

    def __str__(self) -> str:
        if self.kind != "status":
            return self.kind
        if self.retry_after is None:
            return str(self.status)
        ra = self.retry_after
        return f"{self.status}@retry-after={int(ra) if ra == int(ra) else ra}"


OK = Outcome("ok")


def parse_plan(plan: Mapping[str, Iterable[str]]) -> dict[str, list[Outcome]]:
    """``{"primary-1": ["500", "ok"]}`` -> outcome lists; raises FaultSyntaxError naming the deployment."""
    parsed: dict[str, list[Outcome]] = {}
    for dep, outcomes in plan.items():
        if isinstance(outcomes, str):
            outcomes = [outcomes]
        items = list(outcomes)
        if not items:
            raise FaultSyntaxError("[]", f"deployment {dep!r}: empty outcome list")
        try:
            parsed[dep] = [Outcome.parse(o) for o in items]
        except FaultSyntaxError as e:
            raise FaultSyntaxError(e.text, f"deployment {dep!r}: {e}") from None
    return parsed


@dataclass
class Call:
    """One request the fake upstream received."""

    run_id: str                   # the marker's run id, or "unkeyed"
    deployment: str               # from the path /d/<id>/v1
    key: str | None               # key identity mapped back from Authorization (None: no/unknown key)
    arrived: float                # time.monotonic() at arrival
    path: str
    body_model: str | None
    outcome: str                  # the outcome served
    stream: bool = False
    raw_key: str | None = None
    model_mismatch: bool = False  # the body's model did not name the path's deployment

    def to_json(self) -> dict:
        return asdict(self)


def run_id_of(body: object) -> str | None:
    """The run id of the marker at the end of the last user message, or None."""
    if not isinstance(body, dict):
        return None
    messages = body.get("messages")
    if isinstance(messages, list):
        for msg in reversed(messages):
            if isinstance(msg, dict) and msg.get("role") == "user":
                return _marker_in_content(msg.get("content"))
        return None
    if isinstance(body.get("prompt"), str):  # /completions
        return _marker_in_content(body["prompt"])
    inp = body.get("input")  # /responses, /embeddings
    if isinstance(inp, str):
        return _marker_in_content(inp)
    if isinstance(inp, list):
        for item in reversed(inp):
            if isinstance(item, dict) and item.get("role", "user") == "user":
                return _marker_in_content(item.get("content"))
    return None


def _marker_in_content(content: object) -> str | None:
    if isinstance(content, str):
        m = MARKER_RE.search(content)
        return m.group(1) if m else None
    if isinstance(content, list):
        for part in reversed(content):
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                m = MARKER_RE.search(part["text"])
                if m:
                    return m.group(1)
    return None


def add_marker(body: dict, run_id: str) -> dict:
    """A copy of ``body`` whose last user message ends with `` [rc:<run-id>]`` (CONTRACT §9)."""
    body = json.loads(json.dumps(body))
    messages = body.get("messages")
    if isinstance(messages, list):
        for msg in reversed(messages):
            if isinstance(msg, dict) and msg.get("role") == "user":
                content = msg.get("content")
                if isinstance(content, list):
                    content.append({"type": "text", "text": f" [rc:{run_id}]"})
                else:
                    msg["content"] = f"{content if content is not None else ''} [rc:{run_id}]"
                return body
    for field in ("input", "prompt"):  # /responses and /embeddings; /completions
        if isinstance(body.get(field), str):
            body[field] = f"{body[field]} [rc:{run_id}]"
    return body


def error_body(status: int, message: str, type_: str, code: str | None) -> dict:
    """An error in OpenAI's shape; refuses texts that would trigger the proxy's status rewrite."""
    for phrase in FORBIDDEN_PHRASES:
        assert phrase not in message, f"fake upstream error text contains {phrase!r}"
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


def _error_type(status: int) -> str:
    return {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
            404: "not_found_error", 408: "timeout_error", 409: "conflict_error",
            422: "invalid_request_error", 429: "rate_limit_error"}.get(
        status, "server_error" if status >= 500 else "invalid_request_error")


class FakeUpstream:
    """A threaded OpenAI-compatible server on 127.0.0.1, port 0 (see the module text)."""

    def __init__(self, keys: Mapping[str, object] | None = None, timeout_hold_s: float = 30.0,
                 host: str = "127.0.0.1"):
        # keys: fake key -> identity, or -> list of identities when one value was shared
        self._keys: dict[str, list[str]] = {}
        self.timeout_hold_s = timeout_hold_s
        self._plans: dict[tuple[str, str], list[Outcome]] = {}
        self._consumed: dict[tuple[str, str], int] = {}
        # Records by run id, so a replay's lookups and clean-up cost the same however many calls
        # other runs (or a benchmark's bare loop) left behind; _seq keeps the global arrival order.
        self._calls: dict[str, list[tuple[int, Call]]] = {}
        self._seq = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.add_keys(keys or {})
        self._server = _QuietServer((host, 0), _make_handler(self))
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "FakeUpstream":
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.1}, daemon=True,
                                            name=f"fake-upstream:{self.port}")
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "FakeUpstream":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def api_base(self, deployment: str) -> str:
        return f"{self.url}/d/{deployment}/v1"

    # --- plans and records ---------------------------------------------------------------------
    def add_keys(self, keys: Mapping[str, object]) -> None:
        with self._lock:
            for fake, ident in keys.items():
                self._keys[fake] = sorted(ident) if isinstance(ident, (list, tuple, set)) else [str(ident)]

    def plan(self, run_id: str, faults: Mapping[str, Iterable[str]]) -> None:
        """Sets the fault queues of one run (replacing any earlier plan of that run)."""
        parsed = parse_plan(faults)
        with self._lock:
            for key in [k for k in self._plans if k[0] == run_id]:
                del self._plans[key]
            for dep, outcomes in parsed.items():
                self._plans[(run_id, dep)] = outcomes
                self._consumed[(run_id, dep)] = 0

    def calls(self, run_id: str | None = None) -> list[Call]:
        """Calls of one run (``"unkeyed"`` for calls without a marker), or all calls, in arrival order."""
        with self._lock:
            if run_id is not None:
                return [c for _, c in self._calls.get(run_id, ())]
            return [c for _, c in sorted((e for per in self._calls.values() for e in per),
                                         key=lambda e: e[0])]

    def forget(self, run_id: str) -> None:
        with self._lock:
            self._calls.pop(run_id, None)
            for dep in [k[1] for k in self._plans if k[0] == run_id]:
                del self._plans[(run_id, dep)]
            for dep in [k[1] for k in self._consumed if k[0] == run_id]:
                del self._consumed[(run_id, dep)]

    def _next_outcome(self, run_id: str, deployment: str) -> Outcome:
        plan = self._plans.get((run_id, deployment))
        if not plan:
            return OK
        i = self._consumed.get((run_id, deployment), 0)
        self._consumed[(run_id, deployment)] = i + 1
        return plan[min(i, len(plan) - 1)]

    def _identity(self, raw_key: str | None, deployment: str) -> str | None:
        if raw_key is None:
            return None
        idents = self._keys.get(raw_key)
        if not idents:
            return None
        if deployment in idents:
            return deployment
        return idents[0] if len(idents) == 1 else "|".join(idents)

    def _receive(self, path: str, headers, body: object) -> tuple[Call, Outcome]:
        m = PATH_RE.match(path)
        deployment = m.group(1) if m else ""
        auth = headers.get("Authorization") or headers.get("api-key")
        raw_key = auth[7:].strip() if auth and auth.lower().startswith("bearer ") else auth
        body_model = body.get("model") if isinstance(body, dict) else None
        run_id = run_id_of(body) or UNKEYED
        with self._lock:
            outcome = self._next_outcome(run_id, deployment) if run_id != UNKEYED else OK
            call = Call(run_id=run_id, deployment=deployment, key=self._identity(raw_key, deployment),
                        arrived=time.monotonic(), path=path, body_model=body_model, outcome=str(outcome),
                        stream=bool(isinstance(body, dict) and body.get("stream")), raw_key=raw_key,
                        model_mismatch=bool(body_model is not None and body_model != deployment))
            self._seq += 1
            self._calls.setdefault(run_id, []).append((self._seq, call))
        return call, outcome


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a proxy that hangs up is no news
        pass


def _make_handler(upstream: FakeUpstream):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "routecheck-fake-upstream/1"
        # TCP_NODELAY: with Nagle on, an answer written as headers then body waits for the client's
        # delayed ACK on a kept-alive connection (~40 ms a call on loopback, 22 calls/s per connection).
        disable_nagle_algorithm = True

        def log_message(self, fmt, *args):  # quiet
            pass

        def do_GET(self):
            self._send_json(404, error_body(404, f"routecheck fake upstream: no GET route {self.path}",
                                            "not_found_error", "404"))

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
            path = self.path.split("?", 1)[0]
            if not PATH_RE.match(path):
                self._send_json(404, error_body(404, f"routecheck fake upstream: unknown path {path}",
                                                "not_found_error", "404"))
                return
            call, outcome = upstream._receive(path, self.headers, body)
            self._answer(call, outcome, body if isinstance(body, dict) else {})

        # --- answers ---------------------------------------------------------------------------
        def _answer(self, call: Call, outcome: Outcome, body: dict) -> None:
            kind = outcome.kind
            if kind == "ok":
                if call.stream:
                    self._send_stream(call, body, cut=False)
                else:
                    self._send_json(200, _completion(call, body))
            elif kind == "timeout":
                upstream._stopping.wait(upstream.timeout_hold_s)
                self._drop()
            elif kind == "refused":
                self._drop()
            elif kind == "stream_cut":
                if call.stream:
                    self._send_stream(call, body, cut=True)
                else:
                    payload = json.dumps(_completion(call, body)).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2])
                    self._drop()
            elif kind == "context_window":
                self._send_json(400, error_body(400, CONTEXT_WINDOW_MESSAGE, "invalid_request_error",
                                                "context_length_exceeded"))
            elif kind == "content_policy":
                self._send_json(400, error_body(400, CONTENT_POLICY_MESSAGE, "invalid_request_error",
                                                "content_policy_violation"))
            else:
                status = outcome.status or 500
                extra = {}
                if outcome.retry_after is not None:
                    ra = outcome.retry_after
                    extra["Retry-After"] = str(int(ra)) if ra == int(ra) else str(ra)
                self._send_json(status, error_body(
                    status, f"routecheck fake upstream: injected status {status} for {call.deployment}",
                    _error_type(status), str(status)), extra)

        def _send_json(self, status: int, obj: dict, extra: Mapping[str, str] | None = None) -> None:
            """Status line, headers and body in one write (one segment for the usual small answer)."""
            payload = json.dumps(obj).encode()
            head = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}", f"Server: {self.server_version}",
                    f"Date: {_http_date()}", "Content-Type: application/json",
                    f"Content-Length: {len(payload)}"]
            head += [f"{k}: {v}" for k, v in (extra or {}).items()]
            if self.close_connection:
                head.append("Connection: close")
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)

        def _send_stream(self, call: Call, body: dict, cut: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            cid = "chatcmpl-rc" + uuid.uuid4().hex[:12]
            words = ["routecheck", " ok", " from ", call.deployment]
            for i, w in enumerate(words):
                if cut and i == 2:
                    self._drop()
                    return
                chunk = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": call.body_model or call.deployment,
                         "choices": [{"index": 0, "delta": ({"role": "assistant", "content": w} if i == 0
                                                            else {"content": w}), "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            last = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": call.body_model or call.deployment,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
            self.wfile.flush()

        def _drop(self) -> None:
            """Closes the connection without (further) answer."""
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    return Handler


_REASONS = {s.value: s.phrase for s in HTTPStatus}
_date_cache: list = [0, ""]


def _http_date() -> str:
    """The Date header, formatted once a second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


def _completion(call: Call, body: dict) -> dict:
    """A success in the shape of the endpoint called: LiteLLM cannot parse a chat completion answered to
    /responses (it raises APIError), nor to /completions or /embeddings."""
    model = call.body_model or call.deployment
    text = f"routecheck ok from {call.deployment}"
    if call.path.endswith("/responses"):
        return {"id": "resp_rc" + uuid.uuid4().hex[:12], "object": "response", "created_at": int(time.time()),
                "status": "completed", "model": model,
                "output": [{"type": "message", "id": "msg_rc" + uuid.uuid4().hex[:12], "status": "completed",
                            "role": "assistant",
                            "content": [{"type": "output_text", "text": text, "annotations": []}]}],
                "usage": {"input_tokens": 5, "output_tokens": 4, "total_tokens": 9}}
    if call.path.endswith("/embeddings"):
        return {"object": "list", "model": model,
                "data": [{"object": "embedding", "index": 0, "embedding": [0.0, 0.1, 0.2]}],
                "usage": {"prompt_tokens": 5, "total_tokens": 5}}
    if call.path.endswith("/completions") and not call.path.endswith("/chat/completions"):
        return {"id": "cmpl-rc" + uuid.uuid4().hex[:12], "object": "text_completion", "created": int(time.time()),
                "model": model, "choices": [{"index": 0, "text": text, "finish_reason": "stop", "logprobs": None}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9}}
    return {
        "id": "chatcmpl-rc" + uuid.uuid4().hex[:12],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": call.body_model or call.deployment,
        "choices": [{"index": 0, "message": {"role": "assistant",
                                             "content": f"routecheck ok from {call.deployment}"},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9},
    }
