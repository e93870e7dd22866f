"""CONTRACT §9 batching: which configs share a proxy, namespacing there and back; offline shrinking."""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from routecheck_live.batch import Namespace, batch_key, plan_batches, unprefix_text
from routecheck_live.replay import Observation
from routecheck_live.scenario import Scenario
from routecheck_live.upstream import Call

CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus" / "scenarios"


def leak():
    [s] = Scenario.load(CORPUS / "issue-25276-credential-tag-leak.json")
    return s


def variant(s, sid, **router):
    doc = json.loads(json.dumps(s.to_json()))
    doc["id"] = sid
    doc["config"]["router_settings"].update(router)
    return Scenario.from_json(doc)


def test_equal_settings_share_a_batch_other_settings_do_not():
    s = leak()
    a, b, c = variant(s, "a"), variant(s, "b", fallbacks=[{"backup": ["primary"]}]), variant(s, "c", num_retries=1)
    assert batch_key(a) == batch_key(b) != batch_key(c)
    batches = plan_batches([a, b, c])
    assert [[m.id for m in bt.members] for bt in batches] == [["a", "b"], ["c"]]
    merged = batches[0].config
    assert [d["model_name"] for d in merged["model_list"]] == ["n0-primary", "n0-backup", "n1-primary", "n1-backup"]
    assert [c["credential_name"] for c in merged["credential_list"]] == ["n0-openai", "n1-openai"]
    assert merged["router_settings"]["fallbacks"] == [{"n0-primary": ["n0-backup"]}, {"n1-backup": ["n1-primary"]}]
    assert batches[1].slots[0].namespace.prefix == ""   # alone: its own names


def test_whole_list_fallbacks_are_not_mixed():
    """A non-empty context_window_fallbacks for any group turns a context-window error of another group
    into a re-raise (no generic fallback): gen-1-117 and gen-1-25 FAILed only when batched with such
    scenarios. Scenarios that cannot meet the error join any batch of their key."""
    s = leak()
    doc = json.loads(json.dumps(s.to_json()))
    doc["faults"] = {"primary-1": ["context_window"]}
    a = Scenario.from_json(dict(doc, id="a"))                                   # needs none set
    b = variant(s, "b", context_window_fallbacks=[{"backup": ["primary"]}])    # sets one
    c = variant(s, "c")                                                         # cannot tell
    d = Scenario.from_json(dict(doc, id="d", request=dict(doc["request"], body=dict(
        doc["request"]["body"], mock_testing_content_policy_fallbacks=True))))   # a mock switch: strict
    assert batch_key(a) == batch_key(b) == batch_key(c)
    batches = plan_batches([a, b, c, d])
    assert [[m.id for m in bt.members] for bt in batches] == [["a", "c", "d"], ["b"]]
    assert "context_window_fallbacks" not in batches[0].config["router_settings"]
    e = variant(s, "e", context_window_fallbacks=[{"primary": ["backup"]}])
    assert [[m.id for m in bt.members] for bt in plan_batches([b, e])] == [["b", "e"]]


def test_unbatchable_configs_run_alone():
    s = leak()
    assert batch_key(variant(s, "w", fallbacks=[{"*": ["backup"]}])) is None
    assert batch_key(variant(s, "d", default_fallbacks=["backup"])) is None
    doc = s.to_json()
    doc["request"]["body"]["model"] = "nosuch"
    assert batch_key(Scenario.from_json(doc)) is None


def test_cooldown_scenarios_get_a_slot_per_run():
    s = leak()
    a, b = variant(s, "a", disable_cooldowns=False), variant(s, "b", disable_cooldowns=False)
    [bt] = plan_batches([a, b], slots=lambda x: 3 if x.id == "a" else 1)
    assert [sl.namespace.prefix for sl in bt.slots] == ["n0-", "n0r1-", "n0r2-", "n1-"]


def test_namespace_there_and_back():
    s, ns = leak(), Namespace("n3-")
    n = ns.scenario(s)
    assert n.request_body["model"] == "n3-primary" and set(n.faults) == {"n3-primary-1", "n3-backup-1"}
    assert n.config["model_list"][0]["litellm_params"]["litellm_credential_name"] == "n3-openai"
    obs = Observation("x", "x.1", 401, headers={"x-litellm-model-id": "n3-primary-1"},
                      body_json={"error": {"message": "Passed model=n3-backup and tags=['Credential: n3-openai'] "
                                                      "Fallbacks=[{'n12-primary': ['n12-backup']}]"}},
                      upstream_calls=[Call("x.1", "n3-primary-1", "n3-openai", 0.0, "/d/n3-primary-1/v1", None, "500")])
    back = ns.observation(obs).to_json()
    assert back["model_id"] == "primary-1"
    assert back["upstream_calls"] == [{"deployment": "primary-1", "key": "openai"}]
    assert back["error_message"] == ("Passed model=backup and tags=['Credential: openai'] "
                                     "Fallbacks=[{'primary': ['backup']}]")
    assert unprefix_text("gen-1-16 n0r2-x") == "gen-1-16 x"


def test_offline_shrink_keeps_the_disagreement():
    from routecheck_live.oracle import Oracle, OracleError
    from routecheck_live.runner import ask_oracle
    from routecheck_live.shrink import Shrinker
    try:
        oracle = Oracle.find(None)
    except OracleError:
        pytest.skip("no routecheck oracle built")
    s = leak()
    doc = s.to_json()
    doc["config"]["model_list"].append({"model_name": "spare", "litellm_params": {"model": "x", "api_key": "k"},
                                        "model_info": {"id": "spare-1"}})
    big = Scenario.from_json(doc)
    settings = SimpleNamespace(profile="litellm-1.82", profile_options={})
    run = SimpleNamespace(oracle=oracle, settings=settings, upstream=None)
    shrinker = Shrinker(run, deadline=float("inf"))
    want = shrinker._signature(ask_oracle(oracle, [big], "litellm-1.82", {}, 0)[big.id], "credential-tag-leak")
    assert want == ((200,), (401,))
    chain = shrinker.offline_chain(big.to_json(), "credential-tag-leak", want)
    small = chain[-1]
    assert [d["model_info"]["id"] for d in small["config"]["model_list"]] == ["primary-1", "backup-1"]
    assert small["faults"] == {"primary-1": ["500"]}
    assert small["config"]["model_list"][0]["litellm_params"]["litellm_credential_name"] == "openai"
