"""`routecheck oracle` as users and the harness call it: help, the three input forms, the result's
shape (CONTRACT §3), exit codes for expectations (§6), batch mode (§4) and ignored config keys."""
import json
import os
import select
import subprocess

import pytest

from rc_cli import SCENARIOS, compact

TOP_KEYS = {"id", "profile", "mutant", "statuses", "served_by", "outcomes", "truncated", "ignored_config_keys",
            "unverified", "alternatives"}
OUTCOME_KEYS = {"status", "error_class", "served_by", "denial", "headers", "upstream_calls", "max_duration_s",
                "trace"}
TRACE_KEYS = {"hop", "depth", "attempt", "group", "tags_used", "tag_sources", "after_cooldown", "tag_result",
              "eligible", "outcome", "retry", "fallback"}
ORACLE_OPTIONS = ["--scenario", "--jsonl", "--config", "--request", "--path", "--header", "--fault", "--profile",
                  "--profile-option", "--mutant", "--json"]
# (profile flag, mutant flag) runs of the #25276 scenario; each has an expectation in the scenario.
RUNS = [(None, None), ("litellm-1.82", "credential-tag-leak"), ("litellm-latest", None)]


def _flags(profile, mutant):
    out = []
    if profile:
        out += ["--profile", profile]
    if mutant:
        out += ["--mutant", mutant]
    return out


def _write_flag_form(tmp_path, scenario):
    """The scenario's parts as a user would have them: a config file, a body file, --fault and --header flags."""
    (tmp_path / "config.json").write_text(json.dumps(scenario["config"]))
    (tmp_path / "body.json").write_text(json.dumps(scenario["request"]["body"]))
    args = ["--config", tmp_path / "config.json", "--request", tmp_path / "body.json",
            "--path", scenario["request"].get("path", "/v1/chat/completions")]
    for name, value in scenario["request"].get("headers", {}).items():
        args += ["--header", f"{name}: {value}"]
    for dep, outcomes in scenario.get("faults", {}).items():
        args += ["--fault", f"{dep}={','.join(outcomes)}"]
    return args


def _comparable(result):
    """A result without what legitimately differs between forms: the id (the flag form's is the body file) and
    expectation_met (the flag form has no expectation)."""
    return {k: v for k, v in result.items() if k not in ("id", "expectation_met")}


# --- help ---------------------------------------------------------------------------------------------

def test_top_level_help(run_cli):
    r = run_cli("--help")
    assert r.code == 0, r.describe()
    for word in ("oracle", "lint"):
        assert word in r.stdout, r.describe()


def test_oracle_help_lists_every_option(run_cli):
    r = run_cli("oracle", "--help")
    assert r.code == 0, r.describe()
    for option in ORACLE_OPTIONS:
        assert option in r.stdout, f"oracle --help does not mention {option}\n{r.describe()}"


def test_no_arguments_is_a_usage_error(run_cli):
    r = run_cli()
    assert r.code == 2, r.describe()
    assert "--help" in r.stderr, r.describe()


# --- the three forms agree ----------------------------------------------------------------------------

@pytest.mark.parametrize("profile,mutant", RUNS, ids=["default", "1.82+credential-tag-leak", "latest"])
def test_three_forms_agree_on_25276(tmp_path, run_cli, scenario_25276, profile, mutant):
    scenario_path = tmp_path / "scenario.json"
    scenario_path.write_text(json.dumps(scenario_25276, indent=2))
    flags = _flags(profile, mutant)

    by_scenario = run_cli("oracle", "--scenario", scenario_path, "--json", *flags)
    by_flags = run_cli("oracle", *_write_flag_form(tmp_path, scenario_25276), "--json", *flags)
    # A line's own profile wins over --profile (CONTRACT §4); leave it out so the flags decide here too.
    line = {k: v for k, v in scenario_25276.items() if k != "profile"}
    by_jsonl = run_cli("oracle", "--jsonl", *flags, stdin=compact(line) + "\n")
    for r in (by_scenario, by_flags, by_jsonl):
        assert r.code == 0, r.describe()

    s, f, (j,) = by_scenario.json(), by_flags.json(), by_jsonl.jsonl()
    assert s["id"] == j["id"] == scenario_25276["id"]
    assert s["expectation_met"] is True and j["expectation_met"] is True
    assert "expectation_met" not in f
    assert _comparable(s) == _comparable(f), "scenario form and flag form differ"
    assert _comparable(s) == _comparable(j), "scenario form and JSONL form differ"


def test_25276_answers_match_the_curated_expectations(tmp_path, run_cli, scenario_25276):
    """The scenario's own expectations, read through the CLI (profile, profile+mutant)."""
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario_25276))
    for profile, mutant in RUNS:
        key = (profile or "litellm-1.82") + (f"+{mutant}" if mutant else "")
        result = run_cli("oracle", "--scenario", path, "--json", *_flags(profile, mutant)).json()
        expected = scenario_25276["expected"][key]
        assert (result["statuses"], result["served_by"]) == (expected["statuses"], expected["served_by"]), key
        assert result["profile"] == (profile or "litellm-1.82")
        assert result["mutant"] == mutant


def test_text_output_of_the_scenario_form(run_cli):
    r = run_cli("oracle", "--scenario", SCENARIOS / "issue-25276-credential-tag-leak.json")
    assert r.code == 0, r.describe()
    assert "backup-1" in r.stdout and "met" in r.stdout, r.describe()


# --- result shape (CONTRACT §3 and its amendments) ----------------------------------------------------

@pytest.mark.parametrize("profile,mutant", RUNS, ids=["default", "1.82+credential-tag-leak", "latest"])
def test_json_result_has_the_contract_keys(run_cli, profile, mutant):
    r = run_cli("oracle", "--scenario", SCENARIOS / "issue-25276-credential-tag-leak.json", "--json",
                *_flags(profile, mutant))
    result = r.json()
    assert TOP_KEYS <= set(result), f"missing top-level keys: {TOP_KEYS - set(result)}"
    assert result["statuses"] == sorted(set(result["statuses"]))
    assert result["served_by"] == sorted(set(result["served_by"]))
    assert isinstance(result["truncated"], bool)
    assert isinstance(result["ignored_config_keys"], list) and isinstance(result["unverified"], list)
    assert isinstance(result["alternatives"], list)
    for alt in result["alternatives"]:
        assert {"rule", "outcomes"} <= set(alt)
    assert result["outcomes"], "at least one outcome"
    for outcome in result["outcomes"]:
        assert OUTCOME_KEYS <= set(outcome), f"missing outcome keys: {OUTCOME_KEYS - set(outcome)}"
        assert isinstance(outcome["status"], int)
        assert outcome["status"] in result["statuses"]
        for call in outcome["upstream_calls"]:
            assert set(call) >= {"deployment", "key"}
        for record in outcome["trace"]:
            assert TRACE_KEYS <= set(record), f"missing trace keys: {TRACE_KEYS - set(record)}"
        if outcome["denial"] is not None:
            assert {"group", "tags"} <= set(outcome["denial"])
    served = sorted({o["served_by"] for o in result["outcomes"] if o["served_by"] is not None})
    assert served == result["served_by"]


def test_mutant_run_carries_its_label(run_cli):
    r = run_cli("oracle", "--scenario", SCENARIOS / "issue-25276-credential-tag-leak.json", "--json",
                "--mutant", "credential-tag-leak")
    result = r.json()
    assert result["mutant"] == "credential-tag-leak"
    assert result.get("label") == "known: #25276"
    (outcome,) = result["outcomes"]
    assert outcome["status"] == 401 and outcome["denial"] is not None


# --- exit codes for expectations (CONTRACT §6) ----------------------------------------------------------

def test_scenario_exit_1_when_expectation_unmet(tmp_path, run_cli, scenario_25276):
    scenario_25276["expected"]["litellm-1.82"] = {"statuses": [418], "served_by": []}
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(scenario_25276))
    r = run_cli("oracle", "--scenario", path, "--json")
    assert r.code == 1, r.describe()
    assert r.json()["expectation_met"] is False
    text = run_cli("oracle", "--scenario", path)
    assert text.code == 1 and "NOT MET" in text.stdout, text.describe()


def test_scenario_exit_0_when_expectation_met(tmp_path, run_cli, scenario_25276):
    path = tmp_path / "right.json"
    path.write_text(json.dumps(scenario_25276))
    r = run_cli("oracle", "--scenario", path, "--json")
    assert r.code == 0 and r.json()["expectation_met"] is True, r.describe()


def test_expectation_is_keyed_by_profile_and_mutant(tmp_path, run_cli, scenario_25276):
    """Only the run's own key counts: a wrong mutant entry fails the mutant run, not the plain one."""
    scenario_25276["expected"]["litellm-1.82+credential-tag-leak"] = {"statuses": [200], "served_by": ["backup-1"]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_25276))
    assert run_cli("oracle", "--scenario", path).code == 0
    assert run_cli("oracle", "--scenario", path, "--mutant", "credential-tag-leak").code == 1


def test_no_expectation_for_the_run_exits_0(tmp_path, run_cli, scenario_25276):
    del scenario_25276["expected"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_25276))
    r = run_cli("oracle", "--scenario", path, "--json", "--mutant", "credential-tag-leak")
    assert r.code == 0, r.describe()
    assert "expectation_met" not in r.json()


# --- JSONL (CONTRACT §4) -------------------------------------------------------------------------------

def test_jsonl_exit_1_when_a_line_is_unmet(run_cli, scenario_25276):
    good = dict(scenario_25276, id="good")
    bad = json.loads(json.dumps(scenario_25276))
    bad["id"] = "unmet"
    bad["expected"]["litellm-1.82"]["statuses"] = [418]
    r = run_cli("oracle", "--jsonl", stdin="\n".join([compact(good), compact(bad), compact(good)]) + "\n")
    assert r.code == 1, r.describe()
    lines = r.jsonl()
    assert [(l["id"], l["expectation_met"]) for l in lines] == [("good", True), ("unmet", False), ("good", True)]


def test_jsonl_line_fields_override_flags(run_cli, scenario_25276):
    """A line's own profile and mutant win over --profile and --mutant."""
    plain = dict(scenario_25276, id="plain")
    own = dict(scenario_25276, id="own", profile="litellm-latest")
    leak = dict(scenario_25276, id="leak", mutant="credential-tag-leak")
    del plain["profile"]
    r = run_cli("oracle", "--jsonl", "--profile", "litellm-1.82",
                stdin="\n".join(map(compact, [plain, own, leak])) + "\n")
    assert r.code == 0, r.describe()
    by_id = {l["id"]: l for l in r.jsonl()}
    assert (by_id["plain"]["profile"], by_id["plain"]["mutant"]) == ("litellm-1.82", None)
    assert by_id["own"]["profile"] == "litellm-latest"
    assert by_id["leak"]["mutant"] == "credential-tag-leak" and by_id["leak"]["statuses"] == [401]


def test_jsonl_empty_input_exits_0(run_cli):
    r = run_cli("oracle", "--jsonl", stdin="")
    assert r.code == 0 and r.stdout == "", r.describe()


def test_jsonl_is_flushed_per_line(routecheck_bin, scenario_25276):
    """The harness reads each answer before it writes the next question (CONTRACT §4: flushed per line)."""
    proc = subprocess.Popen([str(routecheck_bin), "oracle", "--jsonl"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for n in range(2):
            proc.stdin.write((compact(dict(scenario_25276, id=f"q{n}")) + "\n").encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 5.0)
            assert ready, f"no answer to line {n + 1} while stdin is still open"
            assert json.loads(proc.stdout.readline())["id"] == f"q{n}"
        proc.stdin.close()
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- ignored config keys (CONTRACT §3) -----------------------------------------------------------------

def test_unknown_config_key_is_listed_not_refused(tmp_path, run_cli, scenario_25276):
    scenario_25276["config"]["litellm_settings"] = {"success_callback": ["langfuse"]}
    scenario_25276["config"]["router_settings"]["some_future_setting"] = 1
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_25276))
    r = run_cli("oracle", "--scenario", path, "--json")
    assert r.code == 0, r.describe()
    ignored = r.json()["ignored_config_keys"]
    assert "litellm_settings.success_callback" in ignored
    assert "router_settings.some_future_setting" in ignored


def test_unknown_config_key_in_yaml_flag_form(tmp_path, run_cli):
    (tmp_path / "config.yaml").write_text(
        "model_list:\n"
        "  - model_name: primary\n"
        "    litellm_params: {model: openai/primary-1, api_key: sk-fake}\n"
        "    model_info: {id: primary-1}\n"
        "litellm_settings:\n"
        "  success_callback: [langfuse]\n"
        "  drop_params: true\n")
    (tmp_path / "body.json").write_text('{"model": "primary", "messages": [{"role": "user", "content": "hi"}]}')
    r = run_cli("oracle", "--config", tmp_path / "config.yaml", "--request", tmp_path / "body.json", "--json")
    assert r.code == 0, r.describe()
    ignored = r.json()["ignored_config_keys"]
    assert {"litellm_settings.success_callback", "litellm_settings.drop_params"} <= set(ignored)


def test_ignored_keys_depend_on_the_profile(tmp_path, run_cli, scenario_25276):
    """tag_routing_prefix exists only in litellm-latest (semantics §2.4): ignored by 1.82, read by latest."""
    scenario_25276["config"]["router_settings"]["tag_routing_prefix"] = "route:"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_25276))
    old = run_cli("oracle", "--scenario", path, "--json", "--profile", "litellm-1.82").json()
    new = run_cli("oracle", "--scenario", path, "--json", "--profile", "litellm-latest").json()
    assert "router_settings.tag_routing_prefix" in old["ignored_config_keys"]
    assert "router_settings.tag_routing_prefix" not in new["ignored_config_keys"]


def test_known_config_has_no_ignored_keys(run_cli):
    r = run_cli("oracle", "--scenario", SCENARIOS / "issue-25276-credential-tag-leak.json", "--json")
    assert r.json()["ignored_config_keys"] == []


# --- bounded work ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("max_fallbacks", [8, 9, 10])
def test_combinatorial_config_answer_is_bounded(tmp_path, run_cli, max_fallbacks):
    """Six fully connected 2-deployment groups, all failing: every branch is thousands of nested
    fallback attempts long, and branches differ in each pick. The answer is cut at the exploration's
    budget and says so, rather than growing with each max_fallbacks level (168 MB of JSON in 8 s at
    level 9 when the budget was 200,000 attempts)."""
    groups = [f"g{g}" for g in range(6)]
    config = {
        "model_list": [{"model_name": g, "litellm_params": {"model": f"openai/{g}-{d}", "api_key": "sk-fake"},
                        "model_info": {"id": f"{g}-{d}"}} for g in groups for d in range(2)],
        "router_settings": {"num_retries": 0, "max_fallbacks": max_fallbacks, "disable_cooldowns": True,
                            "fallbacks": [{g: [h for h in groups if h != g]} for g in groups]},
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "body.json").write_text('{"model": "g0", "messages": [{"role": "user", "content": "hi"}]}')
    faults = [a for g in groups for d in range(2) for a in ("--fault", f"{g}-{d}=500")]
    r = run_cli("oracle", "--config", tmp_path / "config.json", "--request", tmp_path / "body.json", "--json",
                *faults)
    assert r.code == 0, r.describe()
    result = r.json()
    assert result["truncated"] is True
    assert len(result["outcomes"]) <= 256
    # 20,000 traced attempts in all, ~1 KB of JSON each.
    assert len(r.stdout) < 32 * 1024 * 1024, f"{len(r.stdout):,} bytes"
    for outcome in result["outcomes"]:
        assert outcome["status"] == 500 and outcome["served_by"] is None


# --- --profile-option follows the profile the run takes -----------------------------------------------

def test_profile_option_checked_against_the_scenarios_profile(tmp_path, run_cli, scenario_25276):
    """A latest-only option is accepted for a litellm-latest scenario without --profile."""
    path = tmp_path / "latest.json"
    path.write_text(json.dumps(dict(scenario_25276, profile="litellm-latest")))
    r = run_cli("oracle", "--scenario", path, "--profile-option", "unprefixed-tags=inert", "--json")
    assert r.code in (0, 1), r.describe()
    assert r.json()["profile"] == "litellm-latest", r.describe()
    # ...and refused for a litellm-1.82 scenario, naming that profile.
    path.write_text(json.dumps(dict(scenario_25276, profile="litellm-1.82")))
    r = run_cli("oracle", "--scenario", path, "--profile-option", "unprefixed-tags=inert", "--json")
    assert r.code == 2 and "litellm-1.82" in r.stderr and "unprefixed-tags" in r.stderr, r.describe()


def test_jsonl_profile_option_checked_per_line(run_cli, scenario_25276):
    """In batch mode the flag's options are checked against each line's profile."""
    latest = dict(scenario_25276, id="latest", profile="litellm-latest")
    old = dict(scenario_25276, id="old", profile="litellm-1.82")
    r = run_cli("oracle", "--jsonl", "--profile-option", "unknown-model=default-fallbacks",
                stdin="\n".join(map(compact, [latest, old])) + "\n")
    assert r.code == 2, r.describe()
    by_id = {l["id"]: l for l in r.jsonl()}
    assert "error" not in by_id["latest"] and by_id["latest"]["profile"] == "litellm-latest", r.describe()
    assert "litellm-1.82" in by_id["old"]["error"]["message"], r.describe()
    assert by_id["old"]["error"]["field"] == "/unknown-model", r.describe()
