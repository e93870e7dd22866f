"""scripts/overnight without a proxy: stages, deduplication against expectation files, the morning report."""
import json

import pytest

from routecheck_live.cli import main
from routecheck_live.overnight import Finding, Known, dedupe, findings_of, morning_markdown, stage_of

LEAK_FD = ("hop 1, attempt 0, group backup: the proxy denied by tags ['Credential: openai'] and called no "
           "upstream; the oracle expects backup-1 (key backup-1), eligible ['backup-1'] for the original tags []")


@pytest.mark.parametrize("fd,stage", [
    (LEAK_FD, "fallback hop, first attempt: tag filter denied"),
    ("hop 0, attempt 1, group primary: the proxy denied by tags ['Credential: openai'] and called no upstream",
     "first hop, retry: tag filter denied"),
    ("hop 0, attempt 0, group p: the proxy called b-2 (key k); the oracle expects p-1 (key none)",
     "first hop, first attempt: called another deployment"),
    ("hop 0, attempt 0, group p: the proxy called no further upstream (status 500); the oracle expects x",
     "first hop, first attempt: stopped before the next call"),
    ("hop 2, attempt 0, group g: the proxy made an extra upstream call to d (key k); the oracle expects 1 call(s)",
     "fallback hop, first attempt: extra upstream call"),
    ("final response: x-litellm-model-id 'a'; the oracle expects 'b'", "final response: served-by header differs"),
    ("I-5: batched with 3 other scenarios the verdict was PASS; alone it is FAIL", "batching changed the verdict"),
    (None, "other"),
])
def test_stage_names_where_and_what_without_names(fd, stage):
    assert stage_of(fd) == stage


def finding(version, sid, label, fd, minimized=None):
    return Finding(version, sid, label, stage_of(fd), fd, {"k": 3, "n": 3}, "/r", minimized)


def test_dedupe_drops_known_and_keeps_one_per_release_label_stage():
    known = {"1.82.3": Known({("known: #25276", stage_of(LEAK_FD))}, {"gen-1-16"}), "1.108.7": Known()}
    other = "hop 0, attempt 0, group p: the proxy called b-2 (key k); the oracle expects p-1 (key none)"
    fs = [finding("1.82.3", "gen-5-1", "known: #25276", LEAK_FD),          # known by label + stage
          finding("1.82.3", "gen-1-16", None, other),                       # known by id
          finding("1.82.3", "gen-5-2", None, other),                        # new
          finding("1.82.3", "gen-5-3", None, other, minimized="/r/min.json"),   # same bucket, minimized: kept
          finding("1.108.7", "gen-5-1", "known: #25276", LEAK_FD)]         # new on this release
    new, old = dedupe(fs, known)
    assert [f.id for f in old] == ["gen-5-1", "gen-1-16"]
    assert [(f.version, f.id, f.similar) for f in new] == [("1.108.7", "gen-5-1", 0), ("1.82.3", "gen-5-3", 1)]


def test_findings_and_morning_report(tmp_path):
    res = {"results": [
        {"id": "gen-7-3", "verdict": "FAIL", "label": None, "first_divergence": "hop 0, attempt 0, group p: "
         "the proxy called b (key k); the oracle expects a (key a)", "reproductions": {"k": 3, "n": 3},
         "minimized": "minimized/gen-7-3.json", "reproduce": {"curl": "curl ...", "replay": "routecheck-live run ..."}},
        {"id": "gen-7-4", "verdict": "PASS"}]}
    (tmp_path / "results.json").write_text(json.dumps(res))
    [f] = findings_of(tmp_path / "results.json", "1.82.3")
    assert f.minimized == str(tmp_path / "minimized/gen-7-3.json") and f.replay == "routecheck-live run ..."
    new, _ = dedupe([f], {"1.82.3": Known()})
    doc = {"started": "now", "budget_minutes": 5, "fuzz_minutes": 2.5, "wall_s": 300, "versions": ["1.82.3"],
           "fuzz": {"ran": True, "command": "scripts/fuzz pr --minutes 2", "exit": 1, "seconds": 150, "log": "l",
                    "nightly_report": None, "failing_regressions": [], "tail": "",
                    "findings": [{"target": "oracle", "input": "crash-1", "replay": "oracle_fuzz_replay crash-1"}]},
           "live": {"rounds": [{"version": "1.82.3", "seed": 7, "scenarios": 2, "exit": 1, "seconds": 30,
                                "summary": {"PASS": 1, "FAIL": 1, "INDETERMINATE": 0, "UNSUPPORTED": 0}}],
                    "fails": 1, "known": 0, "new": [x.__dict__ for x in new], "interrupted": False}}
    md = morning_markdown(doc)
    assert "### first hop, first attempt: called another deployment" in md
    assert f"minimized reproducer: `{tmp_path / 'minimized/gen-7-3.json'}`" in md
    assert "**oracle**: input `crash-1`" in md


def test_overnight_bad_input_exits_2(capsys):
    assert main(["overnight", "--minutes", "0"]) == 2
    assert main(["overnight", "--versions", "1.70.0"]) == 2
    assert "no profile for this version" in capsys.readouterr().err
