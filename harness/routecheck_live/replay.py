"""Sends one scenario's request through a live proxy and collects what happened (CONTRACT §9).

    replayer = Replayer(proxy.url, proxy.master_key, proxy.upstream)
    observation = replayer.replay(scenario)
    observation.status, observation.model_id, observation.upstream_sequence()
"""
from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, field

from urllib.parse import urlsplit

import requests
from urllib3.util import SKIP_HEADER

from .upstream import UNKEYED, Call, FakeUpstream, add_marker

# Headers the live verdict and the reports look at (semantics §9.4).
LITELLM_HEADERS = ("x-litellm-model-id", "x-litellm-model-group", "x-litellm-model-api-base",
                   "x-litellm-attempted-retries", "x-litellm-max-retries",
                   "x-litellm-attempted-fallbacks", "x-litellm-version", "x-litellm-call-id")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def new_run_id(scenario_id: str) -> str:
    """Scenario id + a fresh nonce, in the marker's alphabet (CONTRACT §9)."""
    safe = re.sub(r"[^A-Za-z0-9._~:@+-]", "_", scenario_id)[:120]
    return f"{safe}.{secrets.token_hex(4)}"


@dataclass
class Observation:
    """What the client and the fake upstream saw for one run of one scenario."""

    scenario_id: str
    run_id: str
    status: int | None                        # None: no HTTP answer (see transport_error)
    headers: dict[str, str] = field(default_factory=dict)   # lower-cased names
    body_text: str = ""
    body_json: object = None
    elapsed: float = 0.0
    upstream_calls: list[Call] = field(default_factory=list)
    unkeyed_calls: list[Call] = field(default_factory=list)
    transport_error: str | None = None
    recorded: bool = True                     # False: no fake upstream (--target), calls unknown
    timed_out: bool = False

    @property
    def model_id(self) -> str | None:
        return self.headers.get("x-litellm-model-id")

    @property
    def served_by(self) -> str | None:
        return self.model_id if self.status == 200 else None

    @property
    def error_message(self) -> str | None:
        if isinstance(self.body_json, dict) and isinstance(self.body_json.get("error"), dict):
            msg = self.body_json["error"].get("message")
            return msg if isinstance(msg, str) else None
        return None

    def upstream_sequence(self) -> list[dict] | None:
        if not self.recorded:
            return None
        return [{"deployment": c.deployment, "key": c.key} for c in self.upstream_calls]

    def indeterminate_reason(self) -> str | None:
        """Why this observation cannot be judged, or None (CONTRACT §7, harness issue 'Faults')."""
        if self.transport_error:
            if self.timed_out:
                return f"no HTTP answer within the client timeout: {self.transport_error}"
            return f"no HTTP answer from the proxy: {self.transport_error}"
        if self.status == 200 and not isinstance(self.body_json, dict):
            return f"200 with a non-JSON body: {self.body_text[:200]!r}"
        if self.unkeyed_calls:
            c = self.unkeyed_calls[0]
            return (f"unkeyed upstream call: {len(self.unkeyed_calls)} call(s) without a run marker to this "
                    f"scenario's deployments during the run (first: {c.deployment} at {c.path})")
        bad = [c for c in self.upstream_calls if c.model_mismatch]
        if bad:
            return (f"upstream call to /d/{bad[0].deployment}/v1 carried body model {bad[0].body_model!r}: "
                    f"the path and the body disagree")
        unknown = [c for c in self.upstream_calls if c.key is None]
        if unknown:
            return f"upstream call to {unknown[0].deployment} carried an unknown key {unknown[0].raw_key!r}"
        if self.status == 401 and self.error_message and "Authentication Error" in self.error_message \
                and "tags configuration" not in self.error_message:
            return f"the proxy rejected the master key: {self.error_message[:200]}"
        return None

    def to_json(self) -> dict:
        return {"status": self.status, "served_by": self.served_by, "model_id": self.model_id,
                "upstream_calls": self.upstream_sequence(),
                "headers": {k: v for k, v in self.headers.items() if k.startswith("x-litellm-")},
                "error_message": self.error_message, "elapsed": round(self.elapsed, 3),
                "transport_error": self.transport_error, "run_id": self.run_id}


# The header value that makes urllib3 send no User-Agent; a curl reproducer writes it as `-H 'User-Agent:'`.
NO_USER_AGENT = SKIP_HEADER


class Replayer:
    """Replays scenarios against one proxy with one requests.Session."""

    def __init__(self, base_url: str, master_key: str, upstream: FakeUpstream | None,
                 session: requests.Session | None = None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.master_key = master_key
        self.upstream = upstream
        self.session = session or requests.Session()
        self.session.headers.pop("User-Agent", None)
        if session is None and urlsplit(self.base_url).hostname in LOOPBACK:
            # A proxy on this machine is never reached through an HTTP proxy from the environment, and
            # skipping requests' per-request proxy/netrc lookups saves ~0.35 ms of CPU a request.
            self.session.trust_env = False
        self.timeout = timeout

    def request_for(self, scenario, run_id: str) -> tuple[str, dict, dict]:
        """(url, headers, body) exactly as sent; the User-Agent is the scenario's or none (§9)."""
        body = add_marker(scenario.request_body, run_id)
        headers = {"Authorization": f"Bearer {self.master_key}", "Content-Type": "application/json"}
        headers.update(scenario.headers)
        if not any(k.lower() == "user-agent" for k in scenario.headers):
            # No User-Agent at all: a None value only drops requests' own, and urllib3 then adds
            # "python-urllib3/x", which LiteLLM's tag_regex matching reads (semantics §4.2.3).
            headers["User-Agent"] = NO_USER_AGENT
        return f"{self.base_url}{scenario.path}", headers, body

    def replay(self, scenario, run_id: str | None = None, timeout: float | None = None) -> Observation:
        """One request; unkeyed upstream calls count against this run when they reach one of the
        scenario's deployments while it runs (namespaced deployments belong to one scenario)."""
        run_id = run_id or new_run_id(scenario.id)
        if self.upstream is not None:
            self.upstream.plan(run_id, scenario.faults)
        url, headers, body = self.request_for(scenario, run_id)
        obs = Observation(scenario_id=scenario.id, run_id=run_id, status=None,
                          recorded=self.upstream is not None)
        t0 = time.monotonic()
        try:
            r = self.session.post(url, data=json.dumps(body), headers=headers,
                                  timeout=timeout or self.timeout)
            obs.status = r.status_code
            obs.headers = {k.lower(): v for k, v in r.headers.items()}
            obs.body_text = r.text
            try:
                obs.body_json = r.json()
            except ValueError:
                obs.body_json = None
        except requests.RequestException as e:
            obs.transport_error = f"{type(e).__name__}: {e}"
            obs.timed_out = isinstance(e, requests.Timeout)
        obs.elapsed = time.monotonic() - t0
        if self.upstream is not None:
            # Calls are recorded on arrival, before they are answered: all of this run's are in.
            obs.upstream_calls = self.upstream.calls(run_id)
            mine = {d.get("model_info", {}).get("id") for d in scenario.config.get("model_list") or []}
            obs.unkeyed_calls = [c for c in self.upstream.calls(UNKEYED)
                                 if c.deployment in mine and c.arrived >= t0]
            self.upstream.forget(run_id)
        return obs
