"""Shrinking a live FAIL to a minimal scenario within a time budget (harness issue, step 3).

Offline first: candidates drop one thing each (a group, a deployment, a fallback entry or target, a
fault, a tag, a credential, a router setting); a candidate is kept only if the oracle and the mutant
the FAIL matched still disagree the same way (``routecheck oracle --jsonl`` with ``mutant`` lines; the
same statuses on both sides and no outcome in common). Greedy, one oracle call per round. Then live:
the smallest candidate is replayed alone on a fresh proxy and must FAIL with the same label; if it does
not, the larger steps of the chain are tried, largest last. A FAIL that matches no mutant is shrunk
live: each round's candidates share one namespaced proxy start, and the first one that still FAILs
with the same status is kept.

    shrinker = Shrinker(live_run, deadline)
    shrinker.minimize(scenario, result)   # sets result.minimized = "minimized/<id>.json"
"""
from __future__ import annotations

import copy
import json
import time
from typing import Callable, Iterator

from .batch import FALLBACK_KEYS, SETTINGS_SECTIONS, Namespace, Slot, batch_key, plan_batches
from .compare import Verdict, matches, outcome_key
from .launcher import LauncherError
from .replay import Replayer
from .report import Reproducer, write_atomic
from .scenario import Scenario, ScenarioError

MAX_ROUNDS = 200
# Router settings whose absence is simpler to read (dropping num_retries or disable_cooldowns would
# switch LiteLLM's defaults on: retries and cooldowns, which make a reproducer harder, not easier).
DROPPABLE_SETTINGS = ("tag_filtering_match_any", "max_fallbacks")
TAG_HEADER = "x-litellm-tags"


# --- candidates ------------------------------------------------------------------------------------
def _drop_group_refs(cfg: dict, body: dict, gone: set[str]) -> None:
    for section in SETTINGS_SECTIONS:
        settings = cfg.get(section)
        if not isinstance(settings, dict):
            continue
        for key in FALLBACK_KEYS:
            entries = settings.get(key)
            if not isinstance(entries, list):
                continue
            kept = []
            for e in entries:
                if not isinstance(e, dict):
                    kept.append(e)
                    continue
                e2 = {k: [t for t in v if t not in gone] if isinstance(v, list) else v
                      for k, v in e.items() if k not in gone}
                e2 = {k: v for k, v in e2.items() if v != []}
                if e2:
                    kept.append(e2)
            if kept:
                settings[key] = kept
            else:
                settings.pop(key)
    if isinstance(body.get("fallbacks"), list):
        body["fallbacks"] = [f for f in body["fallbacks"]
                             if not (f in gone or (isinstance(f, dict) and f.get("model") in gone))]


def candidates(doc: dict, settings_too: bool = True) -> Iterator[tuple[str, dict]]:
    """(what was dropped, smaller scenario document), biggest drops first."""
    cfg, req = doc["config"], doc["request"]
    body = req.get("body") or {}
    model = body.get("model")
    ml = cfg.get("model_list") or []
    groups = []
    for d in ml:
        if d.get("model_name") not in groups:
            groups.append(d.get("model_name"))

    def edit(fn: Callable[[dict], object]) -> dict:
        d2 = copy.deepcopy(doc)
        fn(d2)
        return d2

    for g in groups:
        if g == model:
            continue
        ids = {d["model_info"]["id"] for d in ml if d.get("model_name") == g}

        def drop_group(d2, g=g, ids=ids):
            d2["config"]["model_list"] = [x for x in d2["config"]["model_list"] if x.get("model_name") != g]
            d2["faults"] = {k: v for k, v in (d2.get("faults") or {}).items() if k not in ids}
            _drop_group_refs(d2["config"], d2["request"]["body"], {g})
        yield f"group {g}", edit(drop_group)
    for i, dep in enumerate(ml):
        if sum(1 for x in ml if x.get("model_name") == dep.get("model_name")) < 2:
            continue
        did = dep["model_info"]["id"]

        def drop_dep(d2, i=i, did=did):
            del d2["config"]["model_list"][i]
            (d2.get("faults") or {}).pop(did, None)
        yield f"deployment {did}", edit(drop_dep)
    for section in SETTINGS_SECTIONS:
        settings = cfg.get(section)
        if not isinstance(settings, dict):
            continue
        for key in FALLBACK_KEYS:
            entries = settings.get(key)
            if not isinstance(entries, list):
                continue
            yield f"{section}.{key}", edit(lambda d2, s=section, k=key: d2["config"][s].pop(k))
            for j, e in enumerate(entries):
                if not isinstance(e, dict):
                    continue
                for src, targets in e.items():
                    if not isinstance(targets, list) or len(targets) < 2:
                        continue
                    for t in range(len(targets)):
                        yield (f"{section}.{key}[{j}].{src}[{t}]",
                               edit(lambda d2, s=section, k=key, j=j, src=src, t=t:
                                    d2["config"][s][k][j][src].pop(t)))
    if isinstance(body.get("fallbacks"), list):
        yield "request.body.fallbacks", edit(lambda d2: d2["request"]["body"].pop("fallbacks"))
        for t in range(len(body["fallbacks"])):
            yield f"request.body.fallbacks[{t}]", edit(lambda d2, t=t: d2["request"]["body"]["fallbacks"].pop(t))
    for did, outs in (doc.get("faults") or {}).items():
        yield f"faults.{did}", edit(lambda d2, did=did: d2["faults"].pop(did))
        if len(outs) > 1:
            yield f"faults.{did}[-1]", edit(lambda d2, did=did: d2["faults"][did].pop())
            yield f"faults.{did}[0]", edit(lambda d2, did=did: d2["faults"][did].pop(0))
    # tags: request side, then deployments
    if TAG_HEADER in {k.lower() for k in req.get("headers") or {}}:
        yield "request.headers.x-litellm-tags", edit(lambda d2: d2["request"].__setitem__(
            "headers", {k: v for k, v in d2["request"]["headers"].items() if k.lower() != TAG_HEADER}))
    if "tags" in body:
        yield "request.body.tags", edit(lambda d2: d2["request"]["body"].pop("tags"))
    meta = body.get("metadata")
    if isinstance(meta, dict):
        yield "request.body.metadata", edit(lambda d2: d2["request"]["body"].pop("metadata"))
        if isinstance(meta.get("tags"), list):
            for t in range(len(meta["tags"])):
                yield (f"request.body.metadata.tags[{t}]",
                       edit(lambda d2, t=t: d2["request"]["body"]["metadata"]["tags"].pop(t)))
    if isinstance(body.get("tags"), list):
        for t in range(len(body["tags"])):
            yield f"request.body.tags[{t}]", edit(lambda d2, t=t: d2["request"]["body"]["tags"].pop(t))
    for i, dep in enumerate(ml):
        params = dep.get("litellm_params") or {}
        did = dep["model_info"]["id"]
        for key in ("tags", "tag_regex"):
            if key in params:
                yield (f"{did}.{key}", edit(lambda d2, i=i, key=key:
                                            d2["config"]["model_list"][i]["litellm_params"].pop(key)))
        if isinstance(params.get("tags"), list) and len(params["tags"]) > 1:
            for t in range(len(params["tags"])):
                yield (f"{did}.tags[{t}]", edit(lambda d2, i=i, t=t:
                                                d2["config"]["model_list"][i]["litellm_params"]["tags"].pop(t)))
        if "timeout" in params and "timeout" not in (doc.get("faults") or {}).get(did, []):
            yield f"{did}.timeout", edit(lambda d2, i=i: d2["config"]["model_list"][i]["litellm_params"].pop("timeout"))
    used = {(d.get("litellm_params") or {}).get("litellm_credential_name") for d in ml}
    for j, cred in enumerate(cfg.get("credential_list") or []):
        if cred.get("credential_name") not in used:
            yield (f"credential {cred.get('credential_name')}",
                   edit(lambda d2, j=j: d2["config"]["credential_list"].pop(j)))
        elif cred.get("credential_info"):
            yield (f"credential {cred.get('credential_name')} info",
                   edit(lambda d2, j=j: d2["config"]["credential_list"][j].pop("credential_info")))
    if settings_too:
        rs = cfg.get("router_settings")
        if isinstance(rs, dict):
            for key in list(rs):
                if key not in DROPPABLE_SETTINGS:
                    continue
                yield f"router_settings.{key}", edit(lambda d2, key=key: d2["config"]["router_settings"].pop(key))


def size(doc: dict) -> int:
    """A rough size for reports: deployments + fallback targets + fault outcomes + tags + settings."""
    cfg = doc["config"]
    n = len(cfg.get("model_list") or [])
    for section in SETTINGS_SECTIONS:
        for key in FALLBACK_KEYS:
            for e in (cfg.get(section) or {}).get(key) or []:
                n += sum(len(v) for v in e.values() if isinstance(v, list)) if isinstance(e, dict) else 1
    n += sum(len(v) for v in (doc.get("faults") or {}).values())
    n += sum(len((d.get("litellm_params") or {}).get("tags") or []) for d in cfg.get("model_list") or [])
    n += len(cfg.get("router_settings") or {}) + len(cfg.get("credential_list") or [])
    return n


def describe(doc: dict) -> str:
    cfg = doc["config"]
    ml = cfg.get("model_list") or []
    groups = {d.get("model_name") for d in ml}
    fb = sum(len(e) for s in SETTINGS_SECTIONS for k in FALLBACK_KEYS
             for e in (cfg.get(s) or {}).get(k) or [] if isinstance(e, dict))
    tags = sum(len((d.get("litellm_params") or {}).get("tags") or []) for d in ml)
    return (f"{len(ml)} deployment(s) in {len(groups)} group(s), {fb} fallback entr{'y' if fb == 1 else 'ies'}, "
            f"{sum(len(v) for v in (doc.get('faults') or {}).values())} fault outcome(s), {tags} deployment tag(s)")


# --- the shrinker ----------------------------------------------------------------------------------
class Shrinker:
    def __init__(self, run, deadline: float):
        self.run = run                      # the LiveRun: oracle, settings, upstream, proxies, log
        self.deadline = deadline
        self._n = 0

    def _left(self) -> float:
        return self.deadline - time.monotonic()

    def _scenario(self, doc: dict, sid: str) -> Scenario | None:
        d = dict(doc, id=sid)
        d.pop("expected", None)
        try:
            return Scenario.from_json(d, f"<shrink {sid}>")
        except ScenarioError:
            return None

    def _ask(self, scenarios: list[Scenario]):
        from .runner import ask_oracle
        s = self.run.settings
        try:
            return ask_oracle(self.run.oracle, scenarios, s.profile, s.profile_options,
                              self.run.upstream.port if self.run.upstream else 0)
        except ScenarioError:
            # one candidate the oracle refuses must not sink the round: ask one by one
            out = {}
            for sc in scenarios:
                try:
                    out.update(ask_oracle(self.run.oracle, [sc], s.profile, s.profile_options,
                                          self.run.upstream.port if self.run.upstream else 0))
                except ScenarioError:
                    pass
            return out

    @staticmethod
    def _signature(answers, mutant: str):
        base, mres = answers.base, answers.mutants.get(mutant)
        if "error" in base or mres is None or "error" in mres or base.get("truncated") or mres.get("truncated"):
            return None
        bk = {repr(outcome_key(o)) for o in base.get("outcomes") or []}
        mk = {repr(outcome_key(o)) for o in mres.get("outcomes") or []}
        if not bk.isdisjoint(mk):
            return None
        return tuple(base.get("statuses") or []), tuple(mres.get("statuses") or [])

    # --- offline --------------------------------------------------------------------------------
    def offline_chain(self, doc: dict, mutant: str, want) -> list[dict]:
        chain = [doc]
        cur = doc
        for _ in range(MAX_ROUNDS):
            if self._left() <= 0:
                break
            cands = []
            for what, d2 in candidates(cur):
                self._n += 1
                sc = self._scenario(d2, f"{doc['id']}~c{self._n}")
                if sc is not None:
                    cands.append((what, d2, sc))
            if not cands:
                break
            answers = self._ask([c[2] for c in cands])
            nxt = None
            for what, d2, sc in cands:
                a = answers.get(sc.id)
                if a is not None and self._signature(a, mutant) == want:
                    nxt = d2
                    break
            if nxt is None:
                break
            cur = nxt
            chain.append(cur)
        return chain

    # --- live -------------------------------------------------------------------------------------
    def _live_alone(self, doc: dict, sid: str):
        """(Comparison, Observation, Answers, Scenario) of one run alone on a fresh proxy, or None."""
        sc = self._scenario(doc, sid)
        if sc is None:
            return None
        answers = self._ask([sc]).get(sid)
        if answers is None:
            return None
        self.run.answers[sid] = answers
        try:
            proxy = self.run._launch(sc.config)
        except LauncherError as e:
            self.run.report.notes.append(f"shrink: proxy unusable: {str(e)[:300]}")
            return None
        try:
            r = Replayer(proxy.url, proxy.master_key, self.run.upstream)
            obs = self.run._replay(r, Slot(sc, 0, Namespace(""), sc), proxy, [])
        finally:
            self.run._stop_proxy(proxy)
        return answers.judge(obs), obs, answers, sc

    def _live_round(self, docs: list[tuple[str, dict]], status: int):
        """The first doc that FAILs live with ``status``, all docs sharing one namespaced proxy."""
        scs = []
        for what, d in docs:
            self._n += 1
            sc = self._scenario(d, f"c{self._n}")
            if sc is not None:
                scs.append((what, d, sc))
        answers = self._ask([x[2] for x in scs])
        self.run.answers.update(answers)
        scs = [x for x in scs if x[2].id in answers]
        keyed = [x for x in scs if batch_key(x[2]) is not None]
        if not keyed:
            return None
        key0 = batch_key(keyed[0][2])
        keyed = [x for x in keyed if batch_key(x[2]) == key0]
        [batch] = plan_batches([x[2] for x in keyed], max_batch=10 ** 6) if len(keyed) > 1 else \
            plan_batches([keyed[0][2]])
        try:
            proxy = self.run._launch(batch.config)
        except LauncherError:
            return None
        try:
            r = Replayer(proxy.url, proxy.master_key, self.run.upstream)
            for what, d, sc in keyed:
                if self._left() <= 0:
                    return None
                obs = self.run._replay(r, batch.slots_of(sc.id)[0], proxy, [])
                cmp = answers[sc.id].judge(obs)
                if cmp.verdict is Verdict.FAIL and obs.status == status:
                    return what, d
        finally:
            self.run._stop_proxy(proxy)
        return None

    def minimize(self, m: Scenario, res) -> None:
        run = self.run
        t0 = time.monotonic()
        doc = m.to_json()
        doc.pop("expected", None)
        answers = run.answers[m.id]
        observed = res.observed or {}
        mutant = next((name for name, mres in answers.mutants.items()
                       if any(matches(observed, o) for o in mres.get("outcomes") or [])), None)
        run._log(f"shrink {m.id}: {describe(doc)}" + (f"; offline against mutant {mutant}" if mutant else
                                                       "; live (no mutant matches)"))
        best, how = None, ""
        if mutant:
            want = self._signature(answers, mutant)
            chain = self.offline_chain(doc, mutant, want) if want else [doc]
            run._log(f"shrink {m.id}: offline {len(chain) - 1} step(s) -> {describe(chain[-1])}")
            for i, cand in enumerate(reversed(chain)):
                if self._left() <= 0:
                    break
                got = self._live_alone(cand, f"{m.id}.min")
                if got and got[0].verdict is Verdict.FAIL and got[0].label == res.label:
                    best, how = got, f"confirmed live alone ({len(chain) - 1 - i} offline step(s) kept)"
                    break
                if i >= 2:
                    break
        else:
            cur, status = doc, observed.get("status")
            while self._left() > 0:
                step = self._live_round(list(candidates(cur, settings_too=False)), status)
                if step is None:
                    break
                cur = step[1]
            if cur is not doc:
                got = self._live_alone(cur, f"{m.id}.min")
                if got and got[0].verdict is Verdict.FAIL:
                    best, how = got, "shrunk live, confirmed alone"
        if best is None:
            run._log(f"shrink {m.id}: no smaller scenario confirmed live within the budget")
            run.report.notes.append(f"shrink: {m.id}: no smaller scenario confirmed live within the budget")
            return
        cmp, obs, ans, sc = best
        out = sc.to_json()
        out["expected"] = {ans.base.get("profile", run.settings.profile): {
            "statuses": ans.base.get("statuses"), "served_by": ans.base.get("served_by")}}
        for name, mres in ans.mutants.items():
            out["expected"][f"{mres.get('profile', run.settings.profile)}+{name}"] = {
                "statuses": mres.get("statuses"), "served_by": mres.get("served_by")}
        rel = f"minimized/{m.id}.json"
        path = run.settings.report_dir / rel
        write_atomic(path, json.dumps(out, indent=2) + "\n")
        res.minimized = rel
        res.minimized_summary = (f"{describe(doc)} -> {describe(out)}; {how}; observed {obs.status}"
                                 + (f" ({cmp.label})" if cmp.label else "")
                                 + f"; {time.monotonic() - t0:.0f}s")
        url, headers, body = Replayer("http://127.0.0.1:4000", run.settings.master_key or "", None) \
            .request_for(sc, obs.run_id)
        res.minimized_reproducer = Reproducer(
            url=url, headers={k: v for k, v in headers.items() if v is not None}, body=body,
            replay_command=run.settings.replay_command(str(path)))
        run._log(f"shrink {m.id}: minimized -> {path} ({res.minimized_summary})")
        self._maintainer(sc, obs.status, res, path)

    def _maintainer(self, sc: Scenario, status, res, path) -> None:
        """The minimized scenario as a LiteLLM-only reproducer (mock_response faults), if it reproduces."""
        from .maintainer import MaintainerRepro
        run = self.run
        repro = MaintainerRepro.of(sc)
        if repro is None:
            run._log(f"shrink {sc.id}: a fault has no mock_response spelling; no LiteLLM-only reproducer")
            return
        if self._left() <= -60:
            return
        try:
            got, model_id, msg = repro.verify(run.settings.version)
        except LauncherError as e:
            run._log(f"shrink {sc.id}: LiteLLM-only reproducer did not start: {str(e)[:200]}")
            return
        if got != status:
            run._log(f"shrink {sc.id}: LiteLLM-only reproducer answered {got}, not {status}; not shown")
            return
        ypath = path.with_suffix(".litellm.yaml")
        write_atomic(ypath, repro.config_yaml())
        res.maintainer = {"config": str(ypath), "start": repro.start_command(str(ypath)), "curl": repro.curl(),
                          "verified": f"litellm {run.settings.version}: {got}"
                                      + (f" ({msg.strip().splitlines()[-1][:200]})" if msg.strip() else "")}
        run._log(f"shrink {sc.id}: LiteLLM-only reproducer {ypath} verified ({got})")
