"""Batching and namespacing (CONTRACT §9): many scenarios, one proxy start.

Scenarios whose configs are equal outside ``model_list``, ``credential_list`` and the fallback entries
(which are keyed by group name) share one proxy. Each gets a namespace: its groups, deployment ids,
credential names and key values are prefixed (``n7-primary``), so no routing decision, cooldown or key
of one scenario can meet another's; observations are mapped back to the scenario's own names.

    batches = plan_batches(scenarios, slots=lambda s: 1)
    for batch in batches:
        batch.config                      # the merged config the proxy starts with
        for slot in batch.slots:          # one namespaced copy per (scenario, run slot)
            slot.scenario                 # the namespaced scenario to replay
            slot.namespace.observation(obs)   # the observation in the scenario's own names

A config that names groups where the namespace cannot follow (wildcard groups, ``*`` fallbacks,
``default_fallbacks``, aliases, a request model that is neither a group nor a deployment) is not
batched: it runs alone, under its own names.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Callable

from .replay import Observation
from .scenario import Scenario

SETTINGS_SECTIONS = ("router_settings", "litellm_settings")
FALLBACK_KEYS = ("fallbacks", "context_window_fallbacks", "content_policy_fallbacks")
# Settings that name groups in a shape the namespace does not rewrite: such configs run alone.
GROUP_NAMING_SETTINGS = ("default_fallbacks", "model_group_alias", "model_group_retry_policy",
                         "model_group_affinity_config", "routing_groups")
# Fallback lists LiteLLM reads as a whole, not by group (1.82.3 router.py,
# async_function_with_fallbacks_common_utils and should_retry_this_error): once `context_window_fallbacks`
# (`content_policy_fallbacks`) is non-empty for ANY group, a context-window (content-policy) error of a
# group without an entry is re-raised instead of going to the generic `fallbacks`, and is not retried
# (docs/confirmed-semantics.md, "batching"). A batch therefore holds either scenarios that set such a
# list (in the same sections) or scenarios that do not; a scenario that can never meet that error (no
# such fault, no mock_testing switch) fits either kind.
WHOLE_LIST_FALLBACKS = {"context_window_fallbacks": "context_window",
                        "content_policy_fallbacks": "content_policy"}
MAX_BATCH = 400   # scenarios per proxy start (a 1,000-deployment config starts in ~13 s on 1.82.3)


@dataclass(frozen=True)
class Namespace:
    """A name prefix; ``""`` for a scenario running under its own names."""

    prefix: str = ""

    def name(self, n: str) -> str:
        return self.prefix + n

    def strip(self, n: str | None) -> str | None:
        if n is None or not self.prefix:
            return n
        return "|".join(p[len(self.prefix):] if p.startswith(self.prefix) else p for p in n.split("|"))

    # --- scenario -> namespaced scenario --------------------------------------------------------
    def scenario(self, s: Scenario) -> Scenario:
        if not self.prefix:
            return s
        cfg = copy.deepcopy(s.config)
        groups, ids = _groups(cfg), _ids(cfg)
        for dep in cfg.get("model_list") or []:
            dep["model_name"] = self.name(str(dep.get("model_name")))
            dep["model_info"]["id"] = self.name(dep["model_info"]["id"])
            params = dep.get("litellm_params") or {}
            if isinstance(params.get("litellm_credential_name"), str):
                params["litellm_credential_name"] = self.name(params["litellm_credential_name"])
            if isinstance(params.get("api_key"), str):
                params["api_key"] = self.name(params["api_key"])
        for cred in cfg.get("credential_list") or []:
            cred["credential_name"] = self.name(cred["credential_name"])
            values = cred.get("credential_values") or {}
            if isinstance(values.get("api_key"), str):
                values["api_key"] = self.name(values["api_key"])
        for section in SETTINGS_SECTIONS:
            settings = cfg.get(section)
            if isinstance(settings, dict):
                for key in FALLBACK_KEYS:
                    if isinstance(settings.get(key), list):
                        settings[key] = [{self.name(k): [self.name(t) for t in v] for k, v in e.items()}
                                         for e in settings[key]]
        body = copy.deepcopy(s.request_body)
        if body.get("model") in groups | ids:
            body["model"] = self.name(body["model"])
        if isinstance(body.get("fallbacks"), list):
            body["fallbacks"] = [self._fallback_item(f, groups) for f in body["fallbacks"]]
        return dataclasses.replace(
            s, config=cfg, request_body=body, faults={self.name(k): v for k, v in s.faults.items()},
            expected={}, raw={})

    def _fallback_item(self, item, groups):
        if isinstance(item, str):
            return self.name(item) if item in groups else item
        if isinstance(item, dict) and isinstance(item.get("model"), str):
            return dict(item, model=self.name(item["model"]) if item["model"] in groups else item["model"])
        return item

    # --- namespaced observation -> the scenario's own names ----------------------------------------
    def observation(self, obs: Observation) -> Observation:
        if not self.prefix:
            return obs

        def call(c):
            return dataclasses.replace(c, deployment=self.strip(c.deployment), key=self.strip(c.key),
                                       body_model=self.strip(c.body_model))

        headers = dict(obs.headers)
        for h in ("x-litellm-model-id", "x-litellm-model-group"):
            if h in headers:
                headers[h] = self.strip(headers[h])
        body_text = unprefix_text(obs.body_text)
        body_json = obs.body_json
        if body_json is not None:
            try:
                body_json = json.loads(unprefix_text(json.dumps(body_json)))
            except ValueError:
                pass
        return dataclasses.replace(obs, headers=headers, body_text=body_text, body_json=body_json,
                                   upstream_calls=[call(c) for c in obs.upstream_calls],
                                   unkeyed_calls=[call(c) for c in obs.unkeyed_calls])


PREFIX_RE = re.compile(r"(?<![A-Za-z0-9_-])n[0-9]+(?:r[0-9]+)?-")


def unprefix_text(text: str) -> str:
    """Error texts name the fallbacks of the whole batch: every namespace prefix is taken out."""
    return PREFIX_RE.sub("", text)


def _groups(cfg: dict) -> set[str]:
    return {d.get("model_name") for d in cfg.get("model_list") or [] if isinstance(d, dict)}


def _ids(cfg: dict) -> set[str]:
    return {d["model_info"]["id"] for d in cfg.get("model_list") or []
            if isinstance(d, dict) and isinstance(d.get("model_info"), dict) and "id" in d["model_info"]}


def _fallbacks_namespaceable(entries) -> bool:
    if not isinstance(entries, list):
        return False
    for e in entries:
        if not isinstance(e, dict) or len(e) != 1:
            return False
        (k, v), = e.items()
        if k == "*" or not isinstance(v, list) or not all(isinstance(t, str) and t != "*" for t in v):
            return False
    return True


def batch_key(s: Scenario) -> str | None:
    """The key scenarios must share to share a proxy, or None: this scenario runs alone."""
    cfg = s.config
    groups = _groups(cfg)
    if any(not isinstance(g, str) or "*" in g or "/" in g for g in groups):
        return None
    for cred in cfg.get("credential_list") or []:
        if not isinstance(cred, dict) or not isinstance(cred.get("credential_name"), str):
            return None
    rest = {k: v for k, v in cfg.items() if k not in ("model_list", "credential_list")}
    generic_sections = []
    for section in SETTINGS_SECTIONS:
        settings = rest.get(section)
        if settings is None:
            continue
        if not isinstance(settings, dict) or any(k in settings for k in GROUP_NAMING_SETTINGS):
            return None
        for key in FALLBACK_KEYS:
            if key in settings and settings[key] is not None and not _fallbacks_namespaceable(settings[key]):
                return None
        if settings.get("fallbacks"):
            generic_sections.append(section)
        rest[section] = {k: v for k, v in settings.items() if k not in FALLBACK_KEYS}
    body = s.request_body
    if body.get("model") not in groups | _ids(cfg):
        return None
    fb = body.get("fallbacks")
    if fb is not None and not (isinstance(fb, list) and all(isinstance(f, (str, dict)) for f in fb)):
        return None
    # a router_settings list shadows a litellm_settings one (`fallbacks or litellm.fallbacks`)
    shadowing = "litellm_settings" in generic_sections
    return json.dumps([rest, shadowing], sort_keys=True)


def whole_list_needs(s: Scenario) -> dict[str, tuple[str, ...] | None]:
    """Per whole-list fallback kind: the sections that must set it in the batch (``()``: none may),
    or None when the scenario cannot tell (it never meets that error)."""
    cfg = s.config
    mock = any(str(k).startswith("mock_testing") for k in s.request_body)
    outcomes = {str(o).strip() for v in s.faults.values() for o in ([v] if isinstance(v, str) else v)}
    needs: dict[str, tuple[str, ...] | None] = {}
    for key, fault in WHOLE_LIST_FALLBACKS.items():
        where = tuple(sec for sec in SETTINGS_SECTIONS
                      if isinstance(cfg.get(sec), dict) and cfg[sec].get(key))
        needs[key] = where if (where or mock or fault in outcomes) else None
    return needs


def _fits(have: dict, need: dict) -> bool:
    return all(need[k] is None or have.get(k) is None or have[k] == need[k] for k in need)


def cooldowns_on(s: Scenario) -> bool:
    rs = s.config.get("router_settings") or {}
    return not (isinstance(rs, dict) and rs.get("disable_cooldowns") is True)


@dataclass
class Slot:
    """One namespaced copy of a scenario; run ``k`` of a scenario uses its slot ``k`` (or slot 0)."""

    original: Scenario
    index: int
    namespace: Namespace
    scenario: Scenario


@dataclass
class Batch:
    members: list[Scenario]
    slots: list[Slot] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    key: str | None = None

    @property
    def alone(self) -> bool:
        return len(self.members) == 1

    def slots_of(self, scenario_id: str) -> list[Slot]:
        if len(getattr(self, "_by_id", ())) != len(self.members):
            self._by_id: dict[str, list[Slot]] = {}
            for sl in self.slots:
                self._by_id.setdefault(sl.original.id, []).append(sl)
        return list(self._by_id.get(scenario_id, ()))


def merge(slots: list[Slot]) -> dict:
    """The config holding every slot's namespaced deployments, credentials and fallback entries."""
    base = copy.deepcopy(slots[0].scenario.config)
    base["model_list"] = []
    creds: list = []
    for section in SETTINGS_SECTIONS:
        if isinstance(base.get(section), dict):
            for key in FALLBACK_KEYS:
                base[section].pop(key, None)
    for sl in slots:
        cfg = sl.scenario.config
        base["model_list"].extend(copy.deepcopy(cfg.get("model_list") or []))
        creds.extend(copy.deepcopy(cfg.get("credential_list") or []))
        for section in SETTINGS_SECTIONS:
            settings = cfg.get(section)
            if not isinstance(settings, dict):
                continue
            for key in FALLBACK_KEYS:
                if settings.get(key):
                    base.setdefault(section, {}).setdefault(key, []).extend(copy.deepcopy(settings[key]))
    if creds:
        base["credential_list"] = creds
    else:
        base.pop("credential_list", None)
    return base


def plan_batches(scenarios: list[Scenario], slots: Callable[[Scenario], int] = lambda s: 1,
                 max_batch: int = MAX_BATCH, batching: bool = True) -> list[Batch]:
    """Batches in first-appearance order; a scenario that cannot be batched is a batch of its own.
    Scenarios share a batch when their keys are equal and their whole-list fallback needs fit."""
    open_: dict[str, list[tuple[dict, list[Scenario]]]] = {}   # key -> [(whole-list kinds, members)]
    order: list[tuple[str | None, list[Scenario]]] = []
    index = {id(s): i for i, s in enumerate(scenarios)}
    keys = {id(s): batch_key(s) if batching else None for s in scenarios}
    needs = {id(s): whole_list_needs(s) for s in scenarios if keys[id(s)] is not None}
    # Scenarios that care about the whole-list kinds first, then the others fill any batch of their key.
    for strict in (True, False):
        for s in scenarios:
            key = keys[id(s)]
            if key is None:
                if strict:
                    order.append((None, [s]))
                continue
            need = needs[id(s)]
            if any(v is not None for v in need.values()) != strict:
                continue
            spot = next(((have, members) for have, members in open_.get(key, [])
                         if len(members) < max_batch and _fits(have, need)), None)
            if spot is None:
                spot = ({}, [])
                open_.setdefault(key, []).append(spot)
                order.append((key, spot[1]))
            spot[0].update({k: v for k, v in need.items() if v is not None})
            spot[1].append(s)
    for _, members in order:
        members.sort(key=lambda m: index[id(m)])
    order.sort(key=lambda e: index[id(e[1][0])])
    batches = []
    for n, (key, members) in enumerate(order):
        b = Batch(members=members, key=key)
        if key is None or (len(members) == 1 and slots(members[0]) <= 1):
            s = members[0]
            b.slots = [Slot(s, 0, Namespace(""), s)]
            b.config = copy.deepcopy(s.config)
        else:
            for i, s in enumerate(members):
                for k in range(max(1, slots(s))):
                    ns = Namespace(f"n{i}-" if k == 0 else f"n{i}r{k}-")
                    b.slots.append(Slot(s, k, ns, ns.scenario(s)))
            b.config = merge(b.slots)
        batches.append(b)
    return batches
