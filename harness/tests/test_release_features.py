"""The installed release says what it has; the harness lets that decide profile options (release_features.py)."""
from pathlib import Path

import pytest

from routecheck_live.release_features import ReleaseFeatures, overridden, read_features

OLD = dict(tag_regex=False, tag_operators=False, tag_routing_prefix=False, allow_fail_open=False, order_fallbacks=False)


def _package(tmp_path: Path, tag_routing: str | None, router: str = "") -> Path:
    pkg = tmp_path / "litellm"
    (pkg / "router_strategy").mkdir(parents=True)
    if tag_routing is not None:
        (pkg / "router_strategy" / "tag_based_routing.py").write_text(tag_routing)
    (pkg / "router.py").write_text(router)
    return pkg


def test_a_release_whose_tag_filter_reads_tag_regex_has_it(tmp_path):
    pkg = _package(tmp_path, 'def f(d):\n    return d["litellm_params"].get("tag_regex")\n')
    assert read_features(pkg) == ReleaseFeatures(**dict(OLD, tag_regex=True))
    assert read_features(pkg).profile_options() == {"tag-regex": "present"}


def test_a_release_without_it_or_without_tag_routing_has_not(tmp_path):
    assert read_features(_package(tmp_path / "a", "def f(d):\n    return d.get('tags')\n")).tag_regex is False
    assert read_features(_package(tmp_path / "b", None)).profile_options() == {"tag-regex": "absent"}


def test_the_latest_tag_rules_are_read_from_tag_routing_and_the_router(tmp_path):
    tag_routing = "tag_regex\ndef _exclude_deployments(): ...\ndef _require_all_tags(): ...\nallow_fail_open = 1\n"
    f = read_features(_package(tmp_path, tag_routing, router="self.tag_routing_prefix = p\nkwargs['_target_order']\n"))
    assert f == ReleaseFeatures(tag_regex=True, tag_operators=True, tag_routing_prefix=True, allow_fail_open=True,
                                order_fallbacks=True)
    assert f.profile_mismatch("litellm-latest") is None
    assert "litellm-1.82" in f.profile_mismatch("litellm-1.82")
    assert ReleaseFeatures(**OLD).profile_mismatch("litellm-1.82") is None
    assert "lacks" in ReleaseFeatures(**OLD).profile_mismatch("litellm-latest")


def test_only_options_the_release_decides_differently_count_as_overridden():
    fixed = {"tag-regex": "present"}
    assert overridden({"tag-regex": "absent", "unprefixed-tags": "inert"}, fixed) == {"tag-regex": ("absent", "present")}
    assert overridden({"tag-regex": "present"}, fixed) == {}
    assert overridden({}, fixed) == {}


@pytest.mark.parametrize("version,latest", [("1.82.3", False), ("1.108.7", True)])
def test_the_cached_releases_read_as_documented(version, latest):
    """docs/confirmed-semantics.md "Features per version", where a cached venv exists (the live suite makes them)."""
    from routecheck_live.launcher import cache_root
    found = sorted(cache_root().glob(f"litellm-{version}/lib/python*/site-packages/litellm"))
    if not found:
        pytest.skip(f"no cached litellm {version} venv")
    f = read_features(found[0])
    assert f.tag_regex is True
    assert f.has_latest_tag_rules() is latest and f.order_fallbacks is latest
