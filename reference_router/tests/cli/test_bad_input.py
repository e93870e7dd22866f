"""Malformed inputs through `routecheck oracle`, in the flag, scenario and JSONL forms.

Every case must end with exit code 2 (CONTRACT §6), within a few seconds, without a signal or an
"internal error", and with a message that names the file (or the flag) and, where a field is
involved, its dotted path (CONTRACT §5, STYLE 14). JSONL cases check the per-line error object of
CONTRACT §4 and that the stream goes on past the bad line.
"""
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pytest

from rc_cli import SCENARIO_25276, compact

GOOD_YAML = """\
model_list:
  - model_name: primary
    litellm_params: {model: openai/primary-1, api_key: sk-fake-1}
    model_info: {id: primary-1}
  - model_name: backup
    litellm_params: {model: openai/backup-1, api_key: sk-fake-2, tags: [a]}
    model_info: {id: backup-1}
router_settings:
  enable_tag_filtering: true
  num_retries: 0
  fallbacks: [{primary: [backup]}]
"""
GOOD_BODY = '{"model": "primary", "messages": [{"role": "user", "content": "ping"}]}\n'
DEEP = 10_000


def yaml_with(old: str, new: str) -> str:
    assert old in GOOD_YAML, old
    return GOOD_YAML.replace(old, new)


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("model_list: *a9")
    return "\n".join(lines) + "\n"


def scenario(mutate: Optional[Callable[[dict], None]] = None) -> str:
    doc = json.loads(SCENARIO_25276.read_text())
    if mutate:
        mutate(doc)
    return json.dumps(doc, indent=2)


def setter(*path, value):
    def mutate(doc):
        *parents, last = path
        for key in parents:
            doc = doc[key]
        doc[last] = value
    return mutate


def deleter(*path):
    def mutate(doc):
        *parents, last = path
        for key in parents:
            doc = doc[key]
        del doc[last]
    return mutate


@dataclass
class Case:
    """One malformed input. `files` are written into a temp dir; `args` may use {dir}.

    `names`: what stderr must mention (the file or flag); `field`: the dotted field path, if any;
    `says`: further text the message must contain (the bad value, the reason)."""
    id: str
    args: list
    files: dict = field(default_factory=dict)
    names: str = ""
    field: Optional[str] = None
    says: tuple = ()
    xfail: Optional[str] = None


def flag(id, config=GOOD_YAML, body=GOOD_BODY, extra=(), names="C.yaml", field=None, says=(), xfail=None,
         config_name="C.yaml", body_name="body.json"):
    files = {}
    if config is not None:
        files[config_name] = config
    if body is not None:
        files[body_name] = body
    args = ["oracle", "--config", "{dir}/" + config_name, "--request", "{dir}/" + body_name, *extra]
    return Case(id, args, files, names, field, tuple(says), xfail)


def scen(id, text, field=None, says=(), extra=(), xfail=None):
    return Case(id, ["oracle", "--scenario", "{dir}/S.json", *extra], {"S.json": text}, "S.json", field,
                tuple(says), xfail)


CASES = [
    # --- syntax errors ------------------------------------------------------------------------------
    flag("yaml-syntax", config="model_list: [\n  {model_name: a\n", says=("invalid YAML",)),
    flag("yaml-bad-indent", config="model_list:\n  - model_name: a\n   litellm_params: x\n", says=("invalid YAML",)),
    flag("yaml-duplicate-key", config=GOOD_YAML + "router_settings: {}\n", field="router_settings",
         says=("duplicate key",)),
    flag("yaml-two-documents", config=GOOD_YAML + "---\n" + GOOD_YAML, says=("one YAML document",)),
    flag("json-syntax-body", body='{"model": "primary",', names="body.json", says=("invalid JSON",)),
    flag("json-syntax-config", config='{"model_list": [}', config_name="C.json", names="C.json",
         says=("invalid JSON",)),
    scen("json-syntax-scenario", scenario()[:200], says=("invalid JSON",)),
    # --- wrong types --------------------------------------------------------------------------------
    flag("tags-string", config=yaml_with("tags: [a]", "tags: prod"), field="model_list[1].litellm_params.tags",
         says=("'prod'", "(str)")),
    flag("tags-list-of-ints", config=yaml_with("tags: [a]", "tags: [1, 2]"),
         field="model_list[1].litellm_params.tags[0]", says=("(int)",)),
    flag("enable-tag-filtering-string", config=yaml_with("enable_tag_filtering: true", "enable_tag_filtering: 'yes'"),
         field="router_settings.enable_tag_filtering", says=("'yes'",)),
    scen("num-retries-string", scenario(setter("config", "router_settings", "num_retries", value="two")),
         field="config.router_settings.num_retries", says=("'two'", "(str)")),
    scen("model-list-mapping", scenario(setter("config", "model_list", value={"a": 1})),
         field="config.model_list", says=("(dict)",)),
    flag("config-is-a-list", config="- model_name: a\n- model_name: b\n", says=("expected a mapping", "(list)")),
    flag("config-is-a-scalar", config="just text\n", says=("expected a mapping", "(str)")),
    flag("body-is-a-list", body='[{"model": "primary"}]', names="body.json", says=("(list)",)),
    flag("body-model-not-string", body='{"model": 7}', names="body.json", field="model", says=("(int)",)),
    flag("body-missing-model", body='{"messages": []}', names="body.json", says=("model is required",)),
    scen("expected-status-string", scenario(setter("expected", "litellm-1.82", "statuses", value=["200"])),
         field="expected.litellm-1.82.statuses[0]", says=("'200'",)),
    scen("profile-options-not-strings", scenario(setter("profile_options", value={"tag-regex": True})),
         field="profile_options.tag-regex", says=("(bool)",)),
    # --- references ---------------------------------------------------------------------------------
    flag("unknown-fallback-group", config=yaml_with("[{primary: [backup]}]", "[{primary: [nope]}]"),
         field="router_settings.fallbacks[0].primary[0]", says=("'nope'",)),
    flag("unknown-fallback-key", config=yaml_with("[{primary: [backup]}]", "[{nope: [backup]}]"),
         field="router_settings.fallbacks[0].nope", says=("'nope'",)),
    flag("unknown-default-fallback", config=GOOD_YAML + "litellm_settings: {default_fallbacks: [nope]}\n",
         field="litellm_settings.default_fallbacks[0]", says=("'nope'",)),
    flag("unknown-litellm-settings-fallback",
         config=yaml_with("  fallbacks: [{primary: [backup]}]\n", "") + "litellm_settings: {fallbacks: [{primary: [nope]}]}\n",
         field="litellm_settings.fallbacks[0].primary[0]", says=("'nope'",)),
    flag("unknown-body-fallback-group", body='{"model": "primary", "fallbacks": ["nope"]}', names="body.json",
         field="fallbacks[0]", says=("'nope'",)),
    scen("unknown-body-fallback-group-scenario",
         scenario(setter("request", "body", "fallbacks", value=["nope"])),
         field="request.body.fallbacks[0]", says=("'nope'",)),
    flag("duplicate-deployment-id", config=yaml_with("id: backup-1", "id: primary-1"),
         field="model_list[1].model_info.id", says=("duplicate", "'primary-1'")),
    flag("missing-model-info-id", config=yaml_with("model_info: {id: backup-1}", "model_info: {}"),
         field="model_list[1].model_info", says=("model_info.id is required",)),
    flag("missing-model-info", config=yaml_with("    model_info: {id: backup-1}\n", ""),
         field="model_list[1].model_info", says=("model_info.id is required",)),
    scen("undefined-credential", scenario(deleter("config", "credential_list")),
         field="config.model_list[0].litellm_params.litellm_credential_name", says=("'openai'",)),
    flag("missing-model-list", config="router_settings: {num_retries: 1}\n", says=("model_list is required",)),
    # --- faults -------------------------------------------------------------------------------------
    flag("fault-status-700", extra=["--fault", "x=700"], names="--fault", says=("'700'",)),
    flag("fault-5xx", extra=["--fault", "p=5xx"], names="--fault", says=("'5xx'",)),
    flag("fault-no-equals", extra=["--fault", "noequals"], names="--fault", says=("'noequals'",)),
    flag("fault-empty-outcome", extra=["--fault", "primary-1=500,"], names="--fault", field="primary-1[1]"),
    flag("fault-bad-retry-after", extra=["--fault", "primary-1=429@retry-after=soon"], names="--fault",
         says=("retry-after",)),
    flag("fault-unknown-deployment", extra=["--fault", "ghost=500"], names="--fault", says=("'ghost'",)),
    flag("fault-stream-cut", extra=["--fault", "primary-1=stream_cut"], names="--fault", says=("unsupported",)),
    scen("scenario-fault-unknown-deployment", scenario(setter("faults", "ghost", value=["500"])),
         field="faults.ghost", says=("'ghost'",)),
    scen("scenario-fault-5xx", scenario(setter("faults", "primary-1", value=["5xx"])),
         field="faults.primary-1[0]", says=("'5xx'",)),
    scen("scenario-fault-empty-list", scenario(setter("faults", "primary-1", value=[])),
         field="faults.primary-1", says=("non-empty list",)),
    # --- empty, huge, deep, hostile -----------------------------------------------------------------
    flag("empty-config", config="", says=("empty",)),
    flag("whitespace-only-config", config="  \n\t\n   \n", says=("empty",)),
    flag("whitespace-only-body", body=" \n\n", names="body.json", says=("empty",)),
    scen("empty-scenario", "", says=("empty",)),
    flag("num-retries-1e308", config=yaml_with("num_retries: 0", "num_retries: 1e308"),
         field="router_settings.num_retries", says=("integer",)),
    flag("num-retries-20-digits", config=yaml_with("num_retries: 0", "num_retries: 99999999999999999999"),
         field="router_settings.num_retries", says=("integer",)),
    scen("num-retries-huge-json", scenario(setter("config", "router_settings", "num_retries", value=10 ** 20)),
         field="config.router_settings.num_retries", says=("integer",)),
    flag("order-1e308-json", config=json.dumps({"model_list": [{"model_name": "primary", "litellm_params": {
        "model": "openai/p", "order": 1e308}, "model_info": {"id": "p"}}]}), config_name="C.json", names="C.json",
         field="model_list[0].litellm_params.order"),
    flag("deep-json-body", body="[" * DEEP + "]" * DEEP, names="body.json", says=("nested deeper",)),
    flag("deep-json-config", config="[" * DEEP + "]" * DEEP, config_name="C.json", names="C.json",
         says=("nested deeper",)),
    flag("deep-yaml-flow", config="model_list: " + "[" * DEEP + "]" * DEEP + "\n", says=("nested deeper",)),
    flag("deep-yaml-flow-mappings", config="model_list: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n",
         says=("nested deeper",)),
    flag("deep-yaml-block", config="model_list:\n  " + "- " * DEEP + "x\n", says=("nested deeper",)),
    flag("deep-yaml-block-mappings", config="".join("  " * i + f"k{i}:\n" for i in range(1000)),
         says=("nested deeper",)),
    flag("yaml-alias-bomb", config=billion_laughs(), says=("alias",)),
    flag("non-utf8-yaml", config=GOOD_YAML.replace("primary-1}", "pr\udcffimary-1}"), says=("UTF-8",)),
    flag("non-utf8-json-body", body='{"model": "pr\udcffimary"}', names="body.json", says=("UTF-8",)),
    flag("nul-bytes-yaml", config="model_list:\x00\x00\n"),
    # --- files and flags ----------------------------------------------------------------------------
    flag("missing-config-file", config=None, names="C.yaml", says=("cannot read",)),
    flag("missing-body-file", body=None, names="body.json", says=("cannot read",)),
    Case("missing-scenario-file", ["oracle", "--scenario", "{dir}/nope.json"], {}, "nope.json", None,
         ("cannot read",)),
    flag("config-is-a-directory", config="", config_name="dir.d", names="dir.d", says=("directory",)),
    Case("config-is-dev-zero", ["oracle", "--config", "/dev/zero", "--request", "{dir}/body.json"],
         {"body.json": GOOD_BODY}, "/dev/zero", None, ("too large",)),
    flag("unknown-profile", extra=["--profile", "litellm-9"], names="--profile", says=("'litellm-9'",)),
    scen("unknown-profile-in-scenario", scenario(setter("profile", value="litellm-9")), field="profile",
         says=("'litellm-9'",)),
    flag("unknown-mutant", extra=["--mutant", "no-such-mutant"], names="--mutant", says=("'no-such-mutant'",)),
    scen("unknown-mutant-in-scenario", scenario(setter("mutant", value="no-such-mutant")), field="mutant",
         says=("'no-such-mutant'",)),
    flag("unknown-profile-option", extra=["--profile-option", "foo=bar"], names="--profile-option", field="foo"),
    flag("profile-option-no-equals", extra=["--profile-option", "foo"], names="--profile-option"),
    flag("header-without-colon", extra=["--header", "x-litellm-tags"], names="--header",
         says=("'x-litellm-tags'",)),
    flag("header-empty-name", extra=["--header", ": v"], names="--header"),
    flag("header-num-retries-not-int", extra=["--header", "x-litellm-num-retries: many"], names="--header",
         field="x-litellm-num-retries", says=("'many'",)),
    flag("path-without-slash", extra=["--path", "v1/chat"], names="--path", says=("'v1/chat'",)),
    flag("fault-given-twice", extra=["--fault", "primary-1=500", "--fault", "primary-1=ok"], names="--fault",
         says=("'primary-1'", "twice")),
    flag("header-given-twice", extra=["--header", "x-litellm-tags: a", "--header", "X-LiteLLM-Tags: b"],
         names="--header", says=("twice",)),
    flag("stream-true", body='{"model": "primary", "stream": true}', names="body.json", field="stream",
         says=("unsupported",)),
    # --- endpoints v1 models (LiteLLM refuses these before routing; the oracle must not route them) ----
    flag("body-without-messages", body='{"model": "primary"}', names="body.json", field="body",
         says=("unsupported", "/v1/chat/completions body without a non-empty 'messages'")),
    scen("responses-without-input", scenario(setter("request", "path", value="/v1/responses")),
         field="request.body", says=("unsupported", "'input'")),
    scen("unknown-endpoint", scenario(setter("request", "path", value="/v5/chat/completions")),
         field="request.path", says=("unsupported", "'/v5/chat/completions'")),
    flag("keyless-deployment", config=yaml_with("openai/backup-1, api_key: sk-fake-2,", "openai/backup-1,"),
         field="model_list[1].litellm_params", says=("unsupported", "'backup-1'", "Missing credentials")),
    scen("keyless-deployment-scenario",
         scenario(deleter("config", "model_list", 1, "litellm_params", "api_key")),
         field="config.model_list[1].litellm_params", says=("unsupported",)),
    scen("messages-without-max-tokens", scenario(setter("request", "path", value="/v1/messages")),
         field="request.body", says=("unsupported", "'max_tokens'")),
    scen("header-name-not-a-token", scenario(setter("request", "headers", value={"x=litellm-tags": "a"})),
         field="request.headers.x=litellm-tags", says=("unsupported", "not an HTTP token")),
    scen("stream-true-scenario", scenario(setter("request", "body", "stream", value=True)),
         field="request.body.stream", says=("unsupported",)),
    Case("no-form-given", ["oracle"], {}, "--scenario"),
    Case("two-forms-given", ["oracle", "--scenario", "{dir}/S.json", "--jsonl"], {"S.json": scenario()},
         "--scenario"),
    Case("flag-form-without-request", ["oracle", "--config", "{dir}/C.yaml"], {"C.yaml": GOOD_YAML}, "--request"),
    Case("unknown-cli-option", ["oracle", "--frobnicate"], {}, "--frobnicate"),
    Case("unknown-subcommand", ["frobnicate"], {}, "frobnicate"),
    # --- scenario structure -------------------------------------------------------------------------
    scen("scenario-missing-request", scenario(deleter("request")), says=("request is required",)),
    scen("scenario-missing-config", scenario(deleter("config")), says=("config is required",)),
    scen("scenario-wrong-format", scenario(setter("format", value="routecheck-scenario/2")), field="format",
         says=("routecheck-scenario/1",)),
    scen("scenario-missing-format", scenario(deleter("format")), says=("format is required",)),
    scen("scenario-missing-id", scenario(deleter("id")), says=("id is required",)),
    scen("scenario-is-a-list", "[]", says=("(list)",)),
    scen("scenario-config-is-a-list", scenario(setter("config", value=[])), field="config", says=("(list)",)),
    scen("scenario-request-path-relative", scenario(setter("request", "path", value="v1/chat/completions")),
         field="request.path"),
]


def _write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    if name.endswith(".d"):
        path.mkdir()
        return
    # Lone surrogates stand for raw bytes: \udcff is the byte 0xFF.
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


def _params():
    out = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def test_table_is_large_enough():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES), "duplicate case ids"


@pytest.mark.parametrize("case", _params())
def test_malformed_input_exits_2_naming_file_and_field(case, tmp_path, run_cli):
    for name, text in case.files.items():
        _write(tmp_path, name, text)
    args = [a.replace("{dir}", str(tmp_path)) for a in case.args]
    r = run_cli(*args)
    assert "internal error" not in r.stderr, r.describe()
    assert r.code == 2, r.describe()
    assert r.stdout == "", f"nothing is printed on stdout for an input error\n{r.describe()}"
    assert r.stderr.strip(), r.describe()
    assert case.names in r.stderr, f"stderr does not name {case.names!r}\n{r.describe()}"
    if case.field is not None:
        assert case.field in r.stderr, f"stderr does not name the field {case.field!r}\n{r.describe()}"
    for text in case.says:
        assert text in r.stderr, f"stderr does not say {text!r}\n{r.describe()}"
    assert len(r.stderr.splitlines()) <= 3, f"one short message, not a dump\n{r.describe()}"


def test_field_errors_follow_the_style_file_path_value_type(tmp_path, run_cli):
    """STYLE 14 verbatim: `config.yaml: model_list[2].litellm_params.tags: expected a list of strings, got 'prod' (str)`."""
    (tmp_path / "config.yaml").write_text(yaml_with("tags: [a]", "tags: prod"))
    (tmp_path / "body.json").write_text(GOOD_BODY)
    r = run_cli("oracle", "--config", tmp_path / "config.yaml", "--request", tmp_path / "body.json")
    assert r.code == 2
    assert f"{tmp_path / 'config.yaml'}: model_list[1].litellm_params.tags: expected a list of strings, " \
           f"got 'prod' (str)" in r.stderr, r.describe()


# --- JSONL ----------------------------------------------------------------------------------------------

def _good_line(id_="good") -> str:
    doc = json.loads(SCENARIO_25276.read_text())
    doc["id"] = id_
    return compact(doc)


def _line(mutate, id_="bad") -> str:
    doc = json.loads(SCENARIO_25276.read_text())
    doc["id"] = id_
    mutate(doc)
    return compact(doc)


@dataclass
class LineCase:
    """A bad JSONL line: its text, the error `field` (a JSON pointer; a tuple lists accepted ones), `kind`,
    the `id` echoed (None when the line has none to read), and text the message must contain."""
    id: str
    line: str
    field: object
    kind: str = "input"
    echo: Optional[str] = None
    says: tuple = ()
    xfail: Optional[str] = None


LINE_CASES = [
    LineCase("invalid-json", '{"id": "x", "config": ', "", says=("invalid JSON",)),
    LineCase("not-an-object", "[1, 2, 3]", "", says=("(list)",)),
    LineCase("a-string", '"routecheck"', "", says=("(str)",)),
    LineCase("tags-string", _line(setter("config", "model_list", 1, "litellm_params", "tags", value="prod")),
             "/config/model_list/1/litellm_params/tags", echo="bad", says=("'prod'", "(str)")),
    LineCase("num-retries-1e308", _line(setter("config", "router_settings", "num_retries", value=1e308)),
             "/config/router_settings/num_retries", echo="bad"),
    LineCase("num-retries-20-digits",
             _line(setter("config", "router_settings", "num_retries", value=99999999999999999999)),
             "/config/router_settings/num_retries", echo="bad"),
    LineCase("duplicate-deployment-id", _line(setter("config", "model_list", 1, "model_info", "id", value="primary-1")),
             "/config/model_list/1/model_info/id", echo="bad", says=("duplicate",)),
    LineCase("missing-model-info-id", _line(setter("config", "model_list", 1, "model_info", value={})),
             "/config/model_list/1/model_info", echo="bad"),
    LineCase("unknown-fallback-group",
             _line(setter("config", "router_settings", "fallbacks", value=[{"primary": ["nope"]}])),
             "/config/router_settings/fallbacks/0/primary/0", echo="bad", says=("'nope'",)),
    LineCase("unknown-body-fallback-group", _line(setter("request", "body", "fallbacks", value=["nope"])),
             "/request/body/fallbacks/0", echo="bad", says=("'nope'",)),
    LineCase("fault-unknown-deployment", _line(setter("faults", "ghost", value=["500"])), "/faults/ghost",
             echo="bad", says=("'ghost'",)),
    LineCase("fault-5xx", _line(setter("faults", "primary-1", value=["5xx"])), "/faults/primary-1/0", echo="bad"),
    LineCase("fault-700", _line(setter("faults", "primary-1", value=["ok", "700"])), "/faults/primary-1/1",
             echo="bad"),
    LineCase("fault-stream-cut", _line(setter("faults", "primary-1", value=["stream_cut"])), "/faults/primary-1/0",
             kind="unsupported", echo="bad"),
    LineCase("stream-true", _line(setter("request", "body", "stream", value=True)), "/request/body/stream",
             kind="unsupported", echo="bad"),
    LineCase("unknown-profile", _line(setter("profile", value="litellm-9")), "/profile", echo="bad"),
    LineCase("unknown-mutant", _line(setter("mutant", value="no-such-mutant")), "/mutant", echo="bad"),
    LineCase("wrong-format", _line(setter("format", value="routecheck-scenario/2")), "/format", echo="bad"),
    LineCase("missing-request", _line(deleter("request")), ("", "/request"), echo="bad",
             says=("request",)),
    LineCase("config-is-a-list", _line(setter("config", value=[])), "/config", echo="bad"),
    LineCase("deep-nesting", "[" * DEEP + "]" * DEEP, "", says=("nested deeper",)),
    LineCase("non-utf8", '{"id": "bad", "format": "routecheck-scenario/1\udcff"}', "", says=("UTF-8",)),
    LineCase("huge-line", '{"id": "' + "x" * (17 << 20) + '"}', "", says=("too large",)),
]


def _line_params():
    out = []
    for case in LINE_CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


@pytest.mark.parametrize("case", _line_params())
def test_jsonl_bad_line_reports_and_stream_goes_on(case, run_cli):
    stream = "\n".join([_good_line("first"), case.line, _good_line("third")]) + "\n"
    r = run_cli("oracle", "--jsonl", stdin=stream.encode("utf-8", errors="surrogateescape"))
    assert "internal error" not in r.stderr, r.describe()
    lines = r.jsonl()
    assert len(lines) == 3, f"one result line per input line\n{r.describe()}"
    first, bad, third = lines
    assert first.get("id") == "first" and "error" not in first and "outcomes" in first, r.describe()
    assert third.get("id") == "third" and "error" not in third and "outcomes" in third, r.describe()
    assert set(bad) == {"id", "error"}, bad
    assert bad["id"] == case.echo, bad
    err = bad["error"]
    assert set(err) == {"kind", "where", "field", "message"}, err
    assert err["kind"] == case.kind, err
    assert err["where"] == "<stdin>:2", err
    fields = case.field if isinstance(case.field, tuple) else (case.field,)
    assert err["field"] in fields, err
    assert err["field"] == "" or err["field"].startswith("/"), "field is a JSON pointer"
    assert isinstance(err["message"], str) and err["message"], err
    for text in case.says:
        assert text in err["message"], err
    assert r.code == 2, f"exit 2 when any line erred\n{r.describe()}"


def test_jsonl_error_lines_count_from_one_and_skip_nothing(run_cli):
    stream = "\n".join(["nope", _good_line("second"), "[]", "{"]) + "\n"
    r = run_cli("oracle", "--jsonl", stdin=stream)
    lines = r.jsonl()
    assert [l.get("error", {}).get("where") for l in lines] == ["<stdin>:1", None, "<stdin>:3", "<stdin>:4"], \
        r.describe()
    assert r.code == 2


def test_jsonl_only_bad_lines_still_exit_2(run_cli):
    r = run_cli("oracle", "--jsonl", stdin="{}\n")
    assert r.code == 2, r.describe()
    (only,) = r.jsonl()
    assert only["error"]["where"] == "<stdin>:1"


def test_jsonl_error_beats_unmet_expectation(run_cli):
    unmet = _line(setter("expected", "litellm-1.82", "statuses", value=[418]), id_="unmet")
    r = run_cli("oracle", "--jsonl", stdin=unmet + "\n{\n")
    assert [("expectation_met" in l, "error" in l) for l in r.jsonl()] == [(True, False), (False, True)]
    assert r.code == 2, r.describe()
