"""routecheck-live bisect: release list, range planning (denylist), the search with untestable releases."""
import pytest

from routecheck_live.bisect import (BisectInputError, EndpointError, Plan, Step, final_releases, plan_range,
                                    search)
from routecheck_live.cli import main

RELEASES = ["1.81.12", "1.81.13", "1.81.14", "1.81.15", "1.81.16", "1.82.0", "1.82.1", "1.82.2", "1.82.3",
            "1.82.4", "1.82.5", "1.82.6", "1.83.0"]
DENIED = {"1.82.7", "1.82.8"}


def test_final_releases_skip_prereleases_empty_and_yanked():
    doc = {"releases": {"1.82.3": [{"yanked": False}], "1.82.4rc1": [{}], "1.82.7": [], "1.10.0": [{}],
                        "1.9.0": [{"yanked": True}], "1.82.3.post1": [{}], "1.80.0.dev2": [{}]}}
    assert final_releases(doc) == ["1.10.0", "1.82.3"]


def test_plan_orders_either_way_and_states_the_older_endpoint():
    p = plan_range(RELEASES, "1.81.12", "1.82.3", DENIED, False)
    assert p.versions[0] == "1.81.12" and p.versions[-1] == "1.82.3" and p.old_state == "good"
    p = plan_range(RELEASES, "1.82.3", "1.81.12", DENIED, False)
    assert p.old_state == "bad" and p.versions[0] == "1.81.12"


def test_plan_refuses_a_range_crossing_the_denylist_unless_skipping():
    with pytest.raises(BisectInputError, match="crosses denylisted release.*1.82.7, 1.82.8.*--skip-denylisted"):
        plan_range(RELEASES, "1.82.3", "1.83.0", DENIED, False)
    p = plan_range(RELEASES, "1.82.3", "1.83.0", DENIED, True)
    assert p.skipped_denylisted == ["1.82.7", "1.82.8"]
    assert not set(p.versions) & DENIED


def test_plan_refuses_denylisted_or_unknown_endpoints():
    with pytest.raises(BisectInputError, match="--bad 1.82.7: denylisted"):
        plan_range(RELEASES + ["1.82.7"], "1.82.3", "1.82.7", DENIED, True)
    with pytest.raises(BisectInputError, match="--good 1.99.0: not a final litellm release"):
        plan_range(RELEASES, "1.99.0", "1.82.3", DENIED, False)
    with pytest.raises(BisectInputError, match="--good '1.82.4rc1': expected a final release"):
        plan_range(RELEASES, "1.82.4rc1", "1.82.3", DENIED, False)


def fake_test(first_bad: str, untestable=(), calls=None):
    order = {v: i for i, v in enumerate(RELEASES)}

    def test(v):
        if calls is not None:
            calls.append(v)
        if v in untestable:
            return Step(v, "untestable", "cannot lock")
        return Step(v, "bad" if order[v] >= order[first_bad] else "good", "FAIL" if order[v] >= order[first_bad]
                    else "PASS")
    return test


@pytest.mark.parametrize("first_bad", ["1.81.13", "1.81.14", "1.82.0", "1.82.3"])
def test_search_finds_the_first_bad_release(first_bad):
    plan = Plan(RELEASES[: RELEASES.index("1.82.3") + 1], "good", [])
    calls = []
    steps, lo, hi, untestable = search(plan, fake_test(first_bad, calls=calls))
    assert plan.versions[hi] == first_bad and hi == lo + 1 and not untestable
    assert len(calls) <= 2 + 4       # endpoints + log2(9) rounded up


def test_search_finds_the_first_good_release_of_a_fix():
    plan = Plan(RELEASES[: RELEASES.index("1.82.3") + 1], "bad", [])

    def test(v):
        bad = RELEASES.index(v) < RELEASES.index("1.82.1")
        return Step(v, "bad" if bad else "good", "FAIL" if bad else "PASS")
    _, lo, hi, _ = search(plan, test)
    assert plan.versions[hi] == "1.82.1" and plan.versions[lo] == "1.82.0"


def test_untestable_releases_are_skipped_and_reported_never_judged():
    plan = Plan(RELEASES[: RELEASES.index("1.82.3") + 1], "good", [])
    steps, lo, hi, untestable = search(plan, fake_test("1.81.14", untestable={"1.81.13", "1.81.14"}))
    assert plan.versions[lo] == "1.81.12" and plan.versions[hi] == "1.81.15"
    assert untestable == ["1.81.13", "1.81.14"]
    assert all(s.state == "untestable" for s in steps if s.version in untestable)


def test_a_wrong_endpoint_stops_the_search():
    plan = Plan(RELEASES[:5], "good", [])
    with pytest.raises(EndpointError, match="1.81.12 was given as good but is bad"):
        search(plan, fake_test("1.81.12"))


def test_cli_bad_input_exits_2(tmp_path, capsys):
    assert main(["bisect", "--scenario", str(tmp_path / "nope.json"), "--good", "1.81.12", "--bad", "1.82.3"]) == 2
    assert "nope.json: (file): no such scenario file" in capsys.readouterr().err
    assert main(["bisect", "--scenario", "x", "--good", "1.81.12"]) == 2
