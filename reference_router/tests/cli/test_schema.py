"""The scenario schema (reference_router/schema/scenario-v1.json) is valid draft 2020-12, accepts every corpus
scenario (CONTRACT §1) and rejects documents that break the format."""
import copy
import json

import jsonschema
import pytest

from rc_cli import REPO, SCHEMA

CORPUS_DIRS = ["corpus/scenarios", "corpus/spec-coverage", "corpus/regressions/oracle"]


def corpus_files():
    files = []
    for d in CORPUS_DIRS:
        root = REPO / d
        if root.is_dir():
            files += sorted(p for p in root.rglob("*.json") if p.is_file())
    return files


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(doc)]


def test_schema_is_draft_2020_12():
    schema = json.loads(SCHEMA.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_curated_corpus_is_not_empty():
    assert any(p.parent == REPO / "corpus" / "scenarios" for p in corpus_files())


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_corpus_file_validates(validator, path):
    doc = json.loads(path.read_text())
    assert errors(validator, doc) == [], f"{path.relative_to(REPO)} does not validate"


def _base():
    return json.loads((REPO / "corpus" / "scenarios" / "issue-25276-credential-tag-leak.json").read_text())


def _set(path, value):
    def mutate(doc):
        *parents, last = path
        for key in parents:
            doc = doc[key]
        doc[last] = value
    return mutate


def _delete(path):
    def mutate(doc):
        *parents, last = path
        for key in parents:
            doc = doc[key]
        del doc[last]
    return mutate


# (name, mutation, the instance path the error must point at)
INVALID = [
    ("wrong-format", _set(["format"], "routecheck-scenario/2"), "format"),
    ("missing-format", _delete(["format"]), "<root>"),
    ("empty-id", _set(["id"], ""), "id"),
    ("unknown-profile", _set(["profile"], "litellm-9"), "profile"),
    ("profile-option-not-string", _set(["profile_options"], {"tag-regex": True}), "profile_options/tag-regex"),
    ("unknown-top-level-key", _set(["faluts"], {}), "<root>"),
    ("missing-config", _delete(["config"]), "<root>"),
    ("config-is-list", _set(["config"], []), "config"),
    ("missing-model-list", _delete(["config", "model_list"]), "config"),
    ("missing-model-info-id", _set(["config", "model_list", 1, "model_info"], {}), "config/model_list/1/model_info"),
    ("missing-model-info", _delete(["config", "model_list", 1, "model_info"]), "config/model_list/1"),
    ("empty-model-info-id", _set(["config", "model_list", 0, "model_info", "id"], ""),
     "config/model_list/0/model_info/id"),
    ("tags-string", _set(["config", "model_list", 1, "litellm_params", "tags"], "prod"),
     "config/model_list/1/litellm_params/tags"),
    ("fallback-entry-two-keys", _set(["config", "router_settings", "fallbacks"], [{"a": ["b"], "c": ["d"]}]),
     "config/router_settings/fallbacks/0"),
    ("num-retries-string", _set(["config", "router_settings", "num_retries"], "2"),
     "config/router_settings/num_retries"),
    ("num-retries-over-100", _set(["config", "router_settings", "num_retries"], 101),
     "config/router_settings/num_retries"),  # CONTRACT amendment 7
    ("max-fallbacks-1e308", _set(["config", "router_settings", "max_fallbacks"], 1e308),
     "config/router_settings/max_fallbacks"),
    ("missing-request", _delete(["request"]), "<root>"),
    ("request-body-missing-model", _delete(["request", "body", "model"]), "request/body"),
    ("request-model-not-string", _set(["request", "body", "model"], 7), "request/body/model"),
    ("header-value-not-string", _set(["request", "headers"], {"x-litellm-tags": ["a"]}),
     "request/headers/x-litellm-tags"),
    ("path-without-slash", _set(["request", "path"], "v1/chat/completions"), "request/path"),
    ("principal-tags-string", _set(["principal"], {"key_metadata": {"tags": "a"}}), "principal/key_metadata/tags"),
    ("fault-list-empty", _set(["faults", "primary-1"], []), "faults/primary-1"),
    ("fault-not-a-list", _set(["faults", "primary-1"], "500"), "faults/primary-1"),
    ("fault-status-700", _set(["faults", "primary-1"], ["700"]), "faults/primary-1/0"),
    ("fault-status-5xx", _set(["faults", "primary-1"], ["5xx"]), "faults/primary-1/0"),
    ("fault-status-399", _set(["faults", "primary-1"], ["399"]), "faults/primary-1/0"),
    ("fault-bad-retry-after", _set(["faults", "primary-1"], ["429@retry-after=soon"]), "faults/primary-1/0"),
    ("fault-unknown-word", _set(["faults", "primary-1"], ["ok", "slow"]), "faults/primary-1/1"),
    ("expected-unknown-profile-key", _set(["expected", "litellm-9"], {"statuses": [200]}), "expected"),
    ("expected-status-string", _set(["expected", "litellm-1.82", "statuses"], ["200"]),
     "expected/litellm-1.82/statuses/0"),
    ("expected-status-out-of-range", _set(["expected", "litellm-1.82", "statuses"], [600]),
     "expected/litellm-1.82/statuses/0"),
    ("expected-served-by-string", _set(["expected", "litellm-1.82", "served_by"], "backup-1"),
     "expected/litellm-1.82/served_by"),
    ("expected-unknown-key", _set(["expected", "litellm-1.82", "status"], 200), "expected/litellm-1.82"),
    ("twin-without-relation", _set(["twin_of"], "issue-25276-credential-tag-leak"), "<root>"),
    ("relation-not-mp", _set(["relation"], "MR-1"), "relation"),
]


@pytest.mark.parametrize("name,mutate,where", INVALID, ids=[c[0] for c in INVALID])
def test_invalid_document_is_rejected(validator, name, mutate, where):
    doc = _base()
    mutate(doc)
    found = errors(validator, doc)
    assert found, f"{name}: the schema accepted an invalid scenario"
    assert any(e.startswith(where + ":") for e in found), f"{name}: no error at {where}: {found}"


def test_twin_needs_an_mp_id(validator):
    doc = _base()
    doc.update(twin_of=doc["id"], relation="MP-1")
    assert any(e.startswith("id:") for e in errors(validator, doc))
    doc["id"] = doc["twin_of"] + "~MP-1"
    assert errors(validator, doc) == []


def test_loose_config_and_optional_fields_accepted(validator):
    doc = _base()
    doc["config"]["litellm_settings"] = {"success_callback": ["langfuse"], "num_retries": 1}
    doc["config"]["router_settings"]["some_future_key"] = {"x": 1}
    doc["config"]["model_list"][0]["litellm_params"]["extra_body"] = {"a": 1}
    doc["config"]["model_list"][0]["model_info"]["id"] = 17  # an integer id is read as "17" (LiteLLM does)
    doc["principal"] = {"key_metadata": {"tags": ["a"]}, "team_metadata": {"tags": []}}
    doc["profile_options"] = {"tag-regex": "absent"}
    doc["mutant"] = "credential-tag-leak"
    doc["faults"] = {"primary-1": ["500@retry-after=0.5", "429", "timeout", "refused", "ok"]}
    doc["request"]["body"]["stream"] = True  # valid format; the v1 oracle answers "unsupported"
    assert errors(validator, doc) == []


def test_minimal_document_accepted(validator):
    doc = {"format": "routecheck-scenario/1", "id": "m",
           "config": {"model_list": [{"model_name": "g", "litellm_params": {"model": "openai/g"},
                                      "model_info": {"id": "g-1"}}]},
           "request": {"body": {"model": "g"}}}
    assert errors(validator, copy.deepcopy(doc)) == []
