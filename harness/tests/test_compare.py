"""The live PASS rule (CONTRACT §3), verdicts (§7) and the first divergent stage, on hand-written oracle results."""
from routecheck_live.compare import Verdict, compare, rule_label, tag_denial_of

LEAK_MESSAGE = ("litellm.InternalServerError: InternalServerError: OpenAIException - upstream failure. Received "
                "Model Group=primary\nAvailable Model Group Fallbacks=['backup']\nError doing the fallback: Not "
                "allowed to access model due to tags configuration. Passed model=backup and "
                "tags=['Credential: openai']")


def observed(status, model_id, calls, message=None):
    return {"status": status, "model_id": model_id, "served_by": model_id if status == 200 else None,
            "upstream_calls": [{"deployment": d, "key": k} for d, k in calls], "error_message": message}


def test_pass_on_exact_outcome(fixture_json):
    obs = observed(200, "backup-1", [("primary-1", "openai"), ("backup-1", "backup-1")])
    c = compare(obs, fixture_json("oracle-25276.json"))
    assert c.verdict is Verdict.PASS and not c.warnings


def test_fail_25276_names_stage_and_label(fixture_json):
    obs = observed(401, "primary-1", [("primary-1", "openai")], LEAK_MESSAGE)
    c = compare(obs, fixture_json("oracle-25276.json"),
                {"credential-tag-leak": fixture_json("oracle-25276-mutant.json")})
    assert c.verdict is Verdict.FAIL
    assert c.label == "known: #25276"
    assert c.first_divergence == ("hop 1, attempt 0, group backup: the proxy denied by tags ['Credential: openai'] "
                                  "and called no upstream; the oracle expects backup-1 (key backup-1), eligible "
                                  "['backup-1'] for the original tags []")
    try:
        c.raise_for_divergence()
    except Exception as e:  # noqa: BLE001
        assert "known: #25276" in str(e)
    else:
        raise AssertionError("no Divergence raised")


def test_wrong_key_and_extra_call(fixture_json):
    res = fixture_json("oracle-25276.json")
    c = compare(observed(200, "backup-1", [("primary-1", "openai"), ("backup-1", "openai")]), res)
    assert c.verdict is Verdict.FAIL and "the proxy called backup-1 (key openai)" in c.first_divergence
    c = compare(observed(200, "backup-1", [("primary-1", "openai"), ("backup-1", "backup-1"),
                                           ("backup-1", "backup-1")]), res)
    assert "extra upstream call" in c.first_divergence
    c = compare(observed(200, "other", [("primary-1", "openai"), ("backup-1", "backup-1")]), res)
    assert c.verdict is Verdict.FAIL and "x-litellm-model-id 'other'" in c.first_divergence


def test_error_model_id_ignored_unless_oracle_states_it(fixture_json):
    res = fixture_json("oracle-alternative.json")
    assert compare(observed(429, "g1", []), res).verdict is Verdict.PASS


def test_alternatives_pass_with_warning(fixture_json):
    res = fixture_json("oracle-alternative.json")
    c = compare(observed(401, None, []), res)
    assert c.verdict is Verdict.PASS and c.warnings[0].startswith("SHOULD 4.2.2")
    c = compare(observed(500, "g1", [("g1", "g1"), ("g1", "g1")]), res)
    assert c.verdict is Verdict.PASS and c.warnings[0].startswith("UNVERIFIED 16")


def test_indeterminate_and_unsupported(fixture_json):
    res = fixture_json("oracle-25276.json")
    c = compare(observed(None, None, []), res, indeterminate_reason="no HTTP answer")
    assert c.verdict is Verdict.INDETERMINATE and c.reason == "no HTTP answer"
    assert compare(observed(200, "backup-1", []), dict(res, truncated=True)).verdict is Verdict.INDETERMINATE
    err = {"id": "x", "error": {"kind": "unsupported", "field": "/faults/a", "message": "stream_cut in v1"}}
    assert compare(observed(200, None, []), err).verdict is Verdict.UNSUPPORTED


def test_helpers():
    assert rule_label("6.2-should") == "SHOULD 6.2" and rule_label("unverified-16") == "UNVERIFIED 16"
    assert tag_denial_of(LEAK_MESSAGE) == {"group": "backup", "tags": ["Credential: openai"]}
    assert tag_denial_of("Not allowed to access model due to tags configuration. Passed model=g and tags=None") == \
        {"group": "g", "tags": None}
    assert tag_denial_of("litellm.InternalServerError: boom") is None
