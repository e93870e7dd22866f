"""Writes the probe scenarios of this folder (run: python harness/probes/make_probes.py).

Each probe confirms one point of the semantics file's Appendix B (or §11.5) against a live LiteLLM;
see docs/confirmed-semantics.md for what each one showed."""
import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
MSG = [{"role": "user", "content": "ping"}]


def dep(group, did, tags=None, key=None, cred=None, **params):
    p = {"model": f"openai/{did}"}
    if cred:
        p["litellm_credential_name"] = cred
    else:
        p["api_key"] = key or f"sk-fake-{did}"
    if tags is not None:
        p["tags"] = tags
    p.update(params)
    return {"model_name": group, "litellm_params": p, "model_info": {"id": did}}


def cfg(models, creds=None, **rs):
    router = {"enable_tag_filtering": True, "num_retries": 0, "max_fallbacks": 5, "disable_cooldowns": True}
    router.update(rs)
    c = {"model_list": models, "router_settings": router, "general_settings": {"master_key": "sk-routecheck"}}
    if creds:
        c["credential_list"] = creds
    return c


def scenario(sid, config, body=None, headers=None, faults=None, note=""):
    return {"format": "routecheck-scenario/1", "id": sid, "profile": "litellm-1.82", "note": note,
            "config": config,
            "request": {"path": "/v1/chat/completions", "headers": headers or {},
                        "body": body or {"model": "primary", "messages": copy.deepcopy(MSG)}},
            "faults": faults or {}}


CRED = [{"credential_name": "openai", "credential_values": {"api_key": "sk-fake-cred-openai"},
         "credential_info": {"description": "shared test credential"}}]
probes = []

# §12 and its retry-only variant (points 30)
leak = cfg([dep("primary", "primary-1", cred="openai"), dep("backup", "backup-1", key="sk-fake-backup")], CRED,
           fallbacks=[{"primary": ["backup"]}])
probes.append(scenario("p30-issue-25276", leak, faults={"primary-1": ["500"], "backup-1": ["ok"]},
                       note="#25276: 401 with tag text, one upstream call (1.82.3); 200 from backup-1 if fixed"))
retry_only = cfg([dep("primary", "primary-1", cred="openai")], CRED, num_retries=1)
probes.append(scenario("p30-retry-only", retry_only, faults={"primary-1": ["500", "ok"]},
                       note="§12.4 retry-only leak"))
probes.append(scenario("p30-masked-default", cfg([dep("primary", "primary-1", cred="openai"),
                                                   dep("backup", "backup-1", tags=["default"])], CRED,
                                                  fallbacks=[{"primary": ["backup"]}]),
                       faults={"primary-1": ["500"]}, note="§12.4 masked leak: 200 from backup-1 in both"))
probes.append(scenario("p30-mock-testing-fallbacks", leak,
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "mock_testing_fallbacks": True},
                       note="§12.4 negative control: no pick in hop 0, so 200 from backup-1"))

# Points 13, 16, 23, 28 and §11.5: one single-deployment group, num_retries 1; one run per status.
single = cfg([dep("primary", "primary-1")], num_retries=1)
for st in ["400", "401", "403", "404", "408", "409", "422", "429", "500", "502", "503", "refused",
           "context_window", "content_policy"]:
    probes.append(scenario(f"p13-single-{st}", single, faults={"primary-1": [st]},
                           note="calls = 1 + retries made; status and message class"))
single0 = cfg([dep("primary", "primary-1")], num_retries=0)
for st in ["500", "429", "refused", "408"]:
    probes.append(scenario(f"p16-sdk-retries-{st}", single0, faults={"primary-1": [st]},
                           note="num_retries 0: exactly one upstream call unless the SDK retries"))
two = cfg([dep("primary", "primary-1"), dep("primary", "primary-2")], num_retries=1)
for st in ["401", "403"]:
    probes.append(scenario(f"p13-two-{st}", two, faults={"primary-1": [st], "primary-2": [st]},
                           note="two-deployment group: 401 retried?"))

# Point 12: num_retries precedence
probes.append(scenario("p12-body-2", single0, body={"model": "primary", "messages": copy.deepcopy(MSG), "num_retries": 2},
                       faults={"primary-1": ["500"]}))
probes.append(scenario("p12-header-1", single0, headers={"x-litellm-num-retries": "1"}, faults={"primary-1": ["500"]}))
probes.append(scenario("p12-header-1-body-2", single0, headers={"x-litellm-num-retries": "1"},
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "num_retries": 2},
                       faults={"primary-1": ["500"]}))
perdep = cfg([dep("primary", "primary-1", num_retries=2)], num_retries=0)
probes.append(scenario("p12-deployment-2", perdep, faults={"primary-1": ["500"]}))
probes.append(scenario("p12-deployment-2-body-1", perdep,
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "num_retries": 1},
                       faults={"primary-1": ["500"]}))

# Point 15: backoff timing (single deployment, 2 retries); with and without Retry-After
single2 = cfg([dep("primary", "primary-1")], num_retries=2)
probes.append(scenario("p15-backoff-500", single2, faults={"primary-1": ["500"]}))
probes.append(scenario("p15-backoff-429-ra1", single2, faults={"primary-1": ["429@retry-after=1"]}))

# Point 4: empty x-litellm-tags header
tagged = cfg([dep("primary", "primary-1", tags=["a"])])
probes.append(scenario("p04-empty-tag-header", tagged, headers={"x-litellm-tags": ""}))
probes.append(scenario("p04-no-tag-header", tagged))
probes.append(scenario("p04-header-b", tagged, headers={"x-litellm-tags": "b"}, note="denied: tags=['b']"))

# Point 1: tag_regex (deployment with tag_regex; a request with a non-matching User-Agent)
regex = cfg([dep("primary", "primary-1", tag_regex=["^User-Agent: rcprobe"]), dep("primary", "primary-2")])
probes.append(scenario("p01-regex-ua-other", regex, headers={"User-Agent": "other/1"},
                       note="tagged branch if tag_regex exists -> 401; else 200"))
probes.append(scenario("p01-regex-ua-match", regex, headers={"User-Agent": "rcprobe/1"},
                       note="always primary-1 if tag_regex exists"))

# Point 17: body fallbacks null
probes.append(scenario("p17-fallbacks-null", cfg([dep("primary", "primary-1"), dep("backup", "backup-1")],
                                                 fallbacks=[{"primary": ["backup"]}]),
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "fallbacks": None},
                       faults={"primary-1": ["500"]}))

# Points 20, 21: walks
walk = cfg([dep("A", "a1"), dep("B", "b1"), dep("C", "c1"), dep("D", "d1")],
           fallbacks=[{"A": ["B", "C"]}, {"B": ["D"]}], max_fallbacks=2)
probes.append(scenario("p21-success-at-D", walk, body={"model": "A", "messages": copy.deepcopy(MSG)},
                       faults={"a1": ["500"], "b1": ["500"]}, note="attempted-fallbacks: 1 predicted"))
probes.append(scenario("p21-success-at-C", walk, body={"model": "A", "messages": copy.deepcopy(MSG)},
                       faults={"a1": ["500"], "b1": ["500"], "d1": ["500"]}, note="attempted-fallbacks: 2 predicted"))
probes.append(scenario("p21-all-fail", walk, body={"model": "A", "messages": copy.deepcopy(MSG)},
                       faults={"a1": ["500"], "b1": ["500"], "c1": ["500"], "d1": ["500"]},
                       note="hops A, B, D, C; final error"))
nochain = cfg([dep("A", "a1"), dep("B", "b1"), dep("C", "c1")], max_fallbacks=5)
probes.append(scenario("p20-client-list-all-fail", nochain,
                       body={"model": "A", "messages": copy.deepcopy(MSG), "fallbacks": ["B", "C"]},
                       faults={"a1": ["500"], "b1": ["500"], "c1": ["500"]},
                       note="1.82 re-walk: C under B and again at top level?"))

# Point 23: unknown model
probes.append(scenario("p23-unknown-model", single0, body={"model": "nosuch", "messages": copy.deepcopy(MSG)}))

# Point 28: context-window / content-policy classification via their fallback lists
cw = cfg([dep("primary", "primary-1"), dep("big", "big-1"), dep("backup", "backup-1")],
         context_window_fallbacks=[{"primary": ["big"]}], content_policy_fallbacks=[{"primary": ["backup"]}])
probes.append(scenario("p28-context-window", cw, faults={"primary-1": ["context_window"]},
                       note="served by big-1 iff classified as context-window"))
probes.append(scenario("p28-content-policy", cw, faults={"primary-1": ["content_policy"]},
                       note="served by backup-1 iff classified as content-policy"))
probes.append(scenario("p28-plain-400", cw, faults={"primary-1": ["400"]}, note="400, no fallback"))

# Point 24: headers on errors: a plain upstream 500 with no fallbacks -> see p16-sdk-retries-500

# MP-3 headers on a retried success (no credential, so no leak)
probes.append(scenario("p24-retry-success-headers", cfg([dep("primary", "primary-1")], num_retries=1),
                       faults={"primary-1": ["500", "ok"]}))
# Points 5 and 6: litellm_metadata on a chat route; a string metadata.tags
onlyb = cfg([dep("primary", "primary-1", tags=["b"])])
probes.append(scenario("p05-litellm-metadata-tags", onlyb,
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "litellm_metadata": {"tags": ["a"]}},
                       note="denied iff the router reads tags from litellm_metadata"))
onlya = cfg([dep("primary", "primary-1", tags=["a"])])
probes.append(scenario("p06-string-tags", onlya,
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "metadata": {"tags": "ab"}},
                       note="200 if a string is matched by its characters"))
probes.append(scenario("p06-string-tags-nomatch", onlya,
                       body={"model": "primary", "messages": copy.deepcopy(MSG), "metadata": {"tags": "xy"}}))

for p in probes:
    (HERE / f"{p['id']}.json").write_text(json.dumps(p, indent=1) + "\n")
print(f"wrote {len(probes)} probes")
