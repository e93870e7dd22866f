"""A reproducer a LiteLLM maintainer can run without routecheck (STYLE 16): the minimized scenario's
config with each fault turned into LiteLLM's own ``mock_response`` and every key an ``os.environ/``
reference, one command to start the proxy and one curl line. It is verified live before it is shown.

    repro = MaintainerRepro.of(scenario)       # None when a fault has no mock_response spelling
    repro.config_yaml(), repro.start_command(), repro.curl()
    repro.verify("1.82.3")                     # (status, x-litellm-model-id, error message)
"""
from __future__ import annotations

import copy
import json
import re
import secrets
import shlex
from dataclasses import dataclass

import requests
import yaml

from .scenario import Scenario

# Fault outcomes LiteLLM can raise by itself (litellm/main.py, mock_completion / _handle_mock_*).
MOCK_RESPONSE = {"500": "litellm.InternalServerError", "429": "litellm.RateLimitError",
                 "context_window": "litellm.ContextWindowExceededError"}
MASTER_KEY_ENV = "LITELLM_MASTER_KEY"
PLACEHOLDER = "sk-anything"


def _env_name(name: str, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper() + suffix


@dataclass
class MaintainerRepro:
    config: dict
    env: dict[str, str]                 # variable -> placeholder value
    path: str
    headers: dict[str, str]
    body: dict

    @classmethod
    def of(cls, s: Scenario) -> "MaintainerRepro | None":
        cfg = copy.deepcopy(s.config)
        env = {MASTER_KEY_ENV: "sk-" + secrets.token_hex(16)}   # newer releases refuse known defaults
        for dep in cfg.get("model_list") or []:
            did = dep["model_info"]["id"]
            outs = set(s.faults.get(did) or ["ok"])
            if len(outs) != 1:
                return None
            (out,) = outs
            params = dep.setdefault("litellm_params", {})
            if out == "ok":
                params["mock_response"] = f"ok from {did}"
            elif out in MOCK_RESPONSE:
                params["mock_response"] = MOCK_RESPONSE[out]
            else:
                return None
            params["model"] = f"openai/{did}"
            params.pop("api_base", None)
            if params.get("api_key") is not None:
                var = _env_name(did, "_API_KEY")
                params["api_key"] = f"os.environ/{var}"
                env[var] = PLACEHOLDER
        for cred in cfg.get("credential_list") or []:
            values = cred.setdefault("credential_values", {})
            values.pop("api_base", None)
            if values.get("api_key") is not None:
                var = _env_name(cred["credential_name"], "_API_KEY")
                values["api_key"] = f"os.environ/{var}"
                env[var] = PLACEHOLDER
            cred.setdefault("credential_info", {})
        gs = cfg.setdefault("general_settings", {})
        gs.pop("database_url", None)
        gs["master_key"] = f"os.environ/{MASTER_KEY_ENV}"
        return cls(cfg, env, s.path, dict(s.headers), copy.deepcopy(s.request_body))

    def config_yaml(self) -> str:
        return yaml.safe_dump(self.config, sort_keys=False, default_flow_style=False)

    def start_command(self, config_path: str = "repro.yaml", port: int = 4000) -> str:
        env = " ".join(f"{k}={v}" for k, v in self.env.items() if k != MASTER_KEY_ENV)
        return (f'export {MASTER_KEY_ENV}="sk-$(openssl rand -hex 16)" {env}; '
                f"litellm --config {shlex.quote(config_path)} --port {port} --num_workers 1")

    def curl(self, port: int = 4000) -> str:
        parts = ["curl", "-sS", "-i", f"http://127.0.0.1:{port}{self.path}",
                 "-H", f'"Authorization: Bearer ${MASTER_KEY_ENV}"', "-H", "'Content-Type: application/json'"]
        for k, v in self.headers.items():
            parts += ["-H", shlex.quote(f"{k}: {v}")]
        parts += ["-d", shlex.quote(json.dumps(self.body, separators=(",", ":")))]
        return " ".join(parts)

    def verify(self, version: str) -> tuple[int | None, str | None, str]:
        """Starts ``version`` on this config (no fake upstream) and sends the request once."""
        from .launcher import Proxy
        with Proxy.launch_plain(version, self.config, self.env[MASTER_KEY_ENV], env=self.env) as proxy:
            headers = {"Authorization": f"Bearer {self.env[MASTER_KEY_ENV]}", "Content-Type": "application/json"}
            headers.update(self.headers)
            try:
                r = requests.post(f"{proxy.url}{self.path}", data=json.dumps(self.body), headers=headers,
                                  timeout=60)
            except requests.RequestException as e:
                return None, None, f"{type(e).__name__}: {e}"
            try:
                msg = (r.json().get("error") or {}).get("message") or ""
            except (ValueError, AttributeError):
                msg = r.text[:300]
            return r.status_code, r.headers.get("x-litellm-model-id"), msg
