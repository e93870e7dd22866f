"""The installed release decides the profile options it has an answer for (release_features.py)."""
from pathlib import Path

from routecheck_live.release_features import ReleaseFeatures, overridden, read_features


def _package(tmp_path: Path, tag_routing: str | None) -> Path:
    pkg = tmp_path / "litellm"
    (pkg / "router_strategy").mkdir(parents=True)
    if tag_routing is not None:
        (pkg / "router_strategy" / "tag_based_routing.py").write_text(tag_routing)
    return pkg


def test_a_release_whose_tag_filter_reads_tag_regex_has_it(tmp_path):
    pkg = _package(tmp_path, 'def f(d):\n    return d["litellm_params"].get("tag_regex")\n')
    assert read_features(pkg) == ReleaseFeatures(tag_regex=True)
    assert read_features(pkg).profile_options() == {"tag-regex": "present"}


def test_a_release_without_it_or_without_tag_routing_has_not(tmp_path):
    assert read_features(_package(tmp_path / "a", "def f(d):\n    return d.get('tags')\n")).tag_regex is False
    assert read_features(_package(tmp_path / "b", None)).profile_options() == {"tag-regex": "absent"}


def test_only_options_the_release_decides_differently_count_as_overridden():
    fixed = {"tag-regex": "present"}
    assert overridden({"tag-regex": "absent", "unprefixed-tags": "inert"}, fixed) == {"tag-regex": ("absent", "present")}
    assert overridden({"tag-regex": "present"}, fixed) == {}
    assert overridden({}, fixed) == {}


def test_the_cached_releases_in_use_have_tag_regex():
    """Where a cached venv exists (the live suite installs 1.82.3), its package says tag_regex is there."""
    import pytest
    from routecheck_live.launcher import cache_root
    found = sorted(cache_root().glob("litellm-1.82.3/lib/python*/site-packages/litellm"))
    if not found:
        pytest.skip("no cached litellm 1.82.3 venv")
    assert read_features(found[0]).tag_regex is True
