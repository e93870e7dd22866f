"""Maps a LiteLLM version to a routecheck profile (CONTRACT §8).

``1.82.x`` -> ``litellm-1.82``; the release pinned for ``litellm-latest`` (LATEST_PIN) and later ->
``litellm-latest``; anything else needs an explicit ``--profile``.
"""
from __future__ import annotations

import re

PROFILES = ("litellm-1.82", "litellm-latest")
# The newest release whose litellm[proxy] resolves on PyPI when the lock was made (see
# docs/confirmed-semantics.md: 1.108.8 and later pin litellm-enterprise / litellm-proxy(-extras)
# releases that the index does not serve).
LATEST_PIN = "1.108.7"


class UnknownVersion(ValueError):
    pass


def parse_version(v: str) -> tuple[int, ...]:
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)*)(?:[.-]?(?:post|rc|dev|a|b)[0-9]*)*", v.strip())
    if not m:
        raise UnknownVersion(f"--litellm {v!r}: not a version number like 1.82.3")
    return tuple(int(p) for p in m.group(1).split("."))


def profile_for(version: str) -> str:
    """The profile of ``version``; UnknownVersion if the table has no row for it."""
    t = parse_version(version)
    if t[:2] == (1, 82):
        return "litellm-1.82"
    if t >= parse_version(LATEST_PIN):
        return "litellm-latest"
    raise UnknownVersion(f"--litellm {version}: no profile for this version (1.82.x -> litellm-1.82, "
                         f">= {LATEST_PIN} -> litellm-latest); pass --profile")
