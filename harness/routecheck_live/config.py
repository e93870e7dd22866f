"""The wire config: a scenario's LiteLLM config rewritten to talk to the fake upstream (CONTRACT §9).

    wire = WireConfig.rewrite(scenario_config, upstream_port=8901, master_key="sk-routecheck")
    wire.config        # the rewritten config (the oracle is asked about this one)
    wire.keys          # fake key -> key identity (credential name, or deployment id for its own api_key)
    wire.to_yaml()     # what the proxy is started with
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import yaml

DEFAULT_MASTER_KEY = "sk-routecheck"


class ConfigError(ValueError):
    """A config the harness cannot rewrite; names the field, the value and its type (STYLE 14)."""

    def __init__(self, field: str, message: str, where: str = "config"):
        super().__init__(f"{where}: {field}: {message}")
        self.field = field
        self.where = where


def _typename(v: object) -> str:
    return type(v).__name__


@dataclass
class WireConfig:
    config: dict
    keys: dict[str, list[str]] = field(default_factory=dict)   # fake key -> identities
    master_key: str = DEFAULT_MASTER_KEY
    upstream_port: int = 0
    original_keys: dict[str, str] = field(default_factory=dict)  # original value -> fake key

    @classmethod
    def rewrite(cls, config: dict, upstream_port: int, master_key: str = DEFAULT_MASTER_KEY,
                where: str = "config") -> "WireConfig":
        if not isinstance(config, dict):
            raise ConfigError("(root)", f"expected an object, got {_typename(config)}", where)
        cfg = copy.deepcopy(config)
        fakes: dict[str, str] = {}          # original value -> fake key
        idents: dict[str, set[str]] = {}    # fake key -> identities

        def fake_for(original: str, identity: str) -> str:
            fk = fakes.get(original)
            if fk is None:
                fk = f"sk-rc-{len(fakes) + 1}"
                fakes[original] = fk
            idents.setdefault(fk, set()).add(identity)
            return fk

        creds = cfg.get("credential_list")
        if creds is None:
            creds = []
        if not isinstance(creds, list):
            raise ConfigError("credential_list", f"expected a list, got {_typename(creds)}", where)
        for i, cred in enumerate(creds):
            if not isinstance(cred, dict):
                raise ConfigError(f"credential_list[{i}]", f"expected an object, got {_typename(cred)}", where)
            name = cred.get("credential_name")
            if not isinstance(name, str) or not name:
                raise ConfigError(f"credential_list[{i}].credential_name",
                                  f"expected a non-empty string, got {name!r} ({_typename(name)})", where)
            values = cred.get("credential_values") or {}
            if not isinstance(values, dict):
                raise ConfigError(f"credential_list[{i}].credential_values",
                                  f"expected an object, got {_typename(values)}", where)
            values.pop("api_base", None)
            if "api_key" in values and values["api_key"] is not None:
                values["api_key"] = fake_for(str(values["api_key"]), name)
            cred["credential_values"] = values
            if not isinstance(cred.get("credential_info"), dict):
                cred["credential_info"] = {}   # LiteLLM 1.82.3 refuses to start without it

        models = cfg.get("model_list")
        if not isinstance(models, list):
            raise ConfigError("model_list", f"expected a list, got {_typename(models)}", where)
        seen: set[str] = set()
        for i, dep in enumerate(models):
            if not isinstance(dep, dict):
                raise ConfigError(f"model_list[{i}]", f"expected an object, got {_typename(dep)}", where)
            info = dep.get("model_info")
            dep_id = info.get("id") if isinstance(info, dict) else None
            if not isinstance(dep_id, str) or not dep_id:
                raise ConfigError(f"model_list[{i}].model_info.id",
                                  f"expected a non-empty string (scenarios must set it), got {dep_id!r}", where)
            if "/" in dep_id or dep_id in seen:
                raise ConfigError(f"model_list[{i}].model_info.id",
                                  f"{dep_id!r} is duplicated or contains '/'", where)
            seen.add(dep_id)
            params = dep.get("litellm_params")
            if not isinstance(params, dict):
                raise ConfigError(f"model_list[{i}].litellm_params",
                                  f"expected an object, got {_typename(params)}", where)
            params["model"] = f"openai/{dep_id}"
            params["api_base"] = f"http://127.0.0.1:{upstream_port}/d/{dep_id}/v1"
            if params.get("api_key") is not None:
                params["api_key"] = fake_for(str(params["api_key"]), dep_id)

        gs = cfg.get("general_settings")
        if gs is None:
            gs = {}
        if not isinstance(gs, dict):
            raise ConfigError("general_settings", f"expected an object, got {_typename(gs)}", where)
        gs.pop("database_url", None)
        gs["master_key"] = master_key
        cfg["general_settings"] = gs
        return cls(config=cfg, keys={k: sorted(v) for k, v in idents.items()}, master_key=master_key,
                   upstream_port=upstream_port, original_keys=fakes)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.config, sort_keys=False, default_flow_style=False)

    def deployment_ids(self) -> list[str]:
        return [d["model_info"]["id"] for d in self.config.get("model_list", [])]
