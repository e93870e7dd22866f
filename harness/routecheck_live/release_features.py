"""What an installed LiteLLM release has, read from its own package, and the profile options that fixes.

A scenario may carry profile options that describe another release than the one under test (the
spec-coverage corpus explores both `tag-regex` readings of semantics §4.2.3). Replayed live, such a
scenario would FAIL by construction: the oracle answered for a router the proxy is not. So for a run
against an installed release the harness reads the release's features from its package and lets them
override the scenario's options; options given on the command line still win (the user asked).

A feature is detected from the installed source, not from a version table, so a release nobody has
probed yet is still described truthfully. The markers are names in the releases we read (1.80.0,
1.81.13, 1.82.3, 1.108.7; docs/confirmed-semantics.md "Features per version"); a later rename reads as
"absent", which the profile-mismatch note then makes visible. A `--target` proxy has no package to
read: nothing is fixed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

LATEST_PROFILE = "litellm-latest"


@dataclass(frozen=True)
class ReleaseFeatures:
    """Routing features of one installed release (semantics §4.4, Appendix A)."""

    tag_regex: bool          # deployments' `tag_regex` take part in the tag filter (§4.2.3)
    tag_operators: bool      # `!` exclusions and `&` requirements in tags (§4.3)
    tag_routing_prefix: bool # router setting `tag_routing_prefix` (§4.3)
    allow_fail_open: bool    # per-deployment `allow_fail_open` (§4.3)
    order_fallbacks: bool    # order-based fallback hops (§7.8)

    def profile_options(self) -> dict[str, str]:
        """The `--profile-option`s this release fixes (valid under both profiles)."""
        return {"tag-regex": "present" if self.tag_regex else "absent"}

    def has_latest_tag_rules(self) -> bool:
        return self.tag_operators and self.tag_routing_prefix and self.allow_fail_open

    def profile_mismatch(self, profile: str) -> str | None:
        """Why ``profile`` does not describe this release's tag rules, or None."""
        latest = self.has_latest_tag_rules()
        if latest and profile != LATEST_PROFILE:
            return (f"the installed release has the latest tag rules (`!`/`&`, tag_routing_prefix, allow_fail_open) "
                    f"but the run uses {profile}")
        if not latest and profile == LATEST_PROFILE:
            return "the run uses litellm-latest but the installed release lacks its tag rules (`!`/`&`, prefix, fail-open)"
        return None

    def to_json(self) -> dict[str, bool]:
        return asdict(self)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def read_features(litellm_package: Path) -> ReleaseFeatures:
    """Features of the package at ``litellm_package`` (the installed ``litellm/`` folder)."""
    tag_routing = _text(litellm_package / "router_strategy" / "tag_based_routing.py")
    router = _text(litellm_package / "router.py")
    return ReleaseFeatures(
        tag_regex="tag_regex" in tag_routing,
        tag_operators="_exclude_deployments" in tag_routing and "_require_all_tags" in tag_routing,
        tag_routing_prefix="tag_routing_prefix" in router,
        allow_fail_open="allow_fail_open" in tag_routing,
        order_fallbacks="_target_order" in router,
    )


def overridden(scenario_options: dict, fixed: dict) -> dict[str, tuple[str, str]]:
    """Options of a scenario that ``fixed`` replaces: key -> (the scenario's value, the release's)."""
    return {k: (v, fixed[k]) for k, v in scenario_options.items() if k in fixed and fixed[k] != v}
