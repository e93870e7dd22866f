"""What an installed LiteLLM release has, read from its own package, and the profile options that fixes.

A scenario may carry profile options that describe another release than the one under test (the
spec-coverage corpus explores both `tag-regex` readings of semantics §4.2.3). Replayed live, such a
scenario would FAIL by construction: the oracle answered for a router the proxy is not. So for a run
against an installed release the harness reads the release's features from its package and lets them
override the scenario's options; options given on the command line still win (the user asked).

A feature is detected from the installed source, not from a version table, so a release nobody has
probed yet is still described truthfully. A `--target` proxy has no package to read: nothing is fixed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReleaseFeatures:
    """Routing features of one installed release that the oracle models as profile options."""

    tag_regex: bool  # deployments' `tag_regex` take part in the tag filter (semantics §4.2.3)

    def profile_options(self) -> dict[str, str]:
        """The `--profile-option`s this release fixes (valid under both profiles)."""
        return {"tag-regex": "present" if self.tag_regex else "absent"}


def read_features(litellm_package: Path) -> ReleaseFeatures:
    """Features of the package at ``litellm_package`` (the installed ``litellm/`` folder)."""
    tag_routing = litellm_package / "router_strategy" / "tag_based_routing.py"
    text = tag_routing.read_text(encoding="utf-8", errors="replace") if tag_routing.is_file() else ""
    return ReleaseFeatures(tag_regex="tag_regex" in text)


def overridden(scenario_options: dict, fixed: dict) -> dict[str, tuple[str, str]]:
    """Options of a scenario that ``fixed`` replaces: key -> (the scenario's value, the release's)."""
    return {k: (v, fixed[k]) for k, v in scenario_options.items() if k in fixed and fixed[k] != v}
