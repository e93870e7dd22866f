"""The §9 config rewrite."""
import pytest
import yaml

from routecheck_live.config import ConfigError, WireConfig


def test_rewrite_25276(scenario_25276):
    wire = WireConfig.rewrite(scenario_25276["config"], 8901, "sk-master")
    cfg = wire.config
    p1, b1 = cfg["model_list"][0]["litellm_params"], cfg["model_list"][1]["litellm_params"]
    assert p1["model"] == "openai/primary-1" and p1["api_base"] == "http://127.0.0.1:8901/d/primary-1/v1"
    assert b1["model"] == "openai/backup-1" and b1["api_base"] == "http://127.0.0.1:8901/d/backup-1/v1"
    assert p1["litellm_credential_name"] == "openai" and "api_key" not in p1
    cred_key = cfg["credential_list"][0]["credential_values"]["api_key"]
    assert cred_key != b1["api_key"] and cred_key.startswith("sk-rc-")
    assert wire.keys == {cred_key: ["openai"], b1["api_key"]: ["backup-1"]}
    assert cfg["general_settings"]["master_key"] == "sk-master"
    assert scenario_25276["config"]["model_list"][0]["litellm_params"].get("api_base") is None  # input untouched
    assert yaml.safe_load(wire.to_yaml()) == cfg


def test_shared_key_values_share_one_fake_key():
    cfg = {"model_list": [
        {"model_name": "g", "litellm_params": {"model": "x", "api_key": "same"}, "model_info": {"id": "a"}},
        {"model_name": "g", "litellm_params": {"model": "y", "api_key": "same"}, "model_info": {"id": "b"}},
        {"model_name": "g", "litellm_params": {"model": "z", "api_key": "other"}, "model_info": {"id": "c"}}],
        "credential_list": [{"credential_name": "cr", "credential_values": {"api_key": "same",
                                                                            "api_base": "https://x"}}],
        "general_settings": {"database_url": "postgres://x", "master_key": "old"}}
    wire = WireConfig.rewrite(cfg, 1)
    ka, kb, kc = (d["litellm_params"]["api_key"] for d in wire.config["model_list"])
    assert ka == kb != kc
    assert wire.keys[ka] == ["a", "b", "cr"]
    assert "api_base" not in wire.config["credential_list"][0]["credential_values"]
    assert "database_url" not in wire.config["general_settings"]
    assert wire.config["general_settings"]["master_key"] == "sk-routecheck"


@pytest.mark.parametrize("cfg,field", [
    ({"model_list": "x"}, "model_list"),
    ({"model_list": [{"litellm_params": {}}]}, "model_list[0].model_info.id"),
    ({"model_list": [{"model_info": {"id": "a"}, "litellm_params": []}]}, "model_list[0].litellm_params"),
    ({"model_list": [], "credential_list": [{"credential_name": 3}]}, "credential_list[0].credential_name"),
])
def test_rewrite_errors_name_the_field(cfg, field):
    with pytest.raises(ConfigError) as e:
        WireConfig.rewrite(cfg, 1, where="s.json")
    assert e.value.field == field and str(e.value).startswith(f"s.json: {field}: ")
