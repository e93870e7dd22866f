"""One live run: oracle answers, batches, proxies, concurrent replays, reruns, the isolation check
(I-5), shrinking and the report (CONTRACT §7, §9, §10).

    run = LiveRun(settings, oracle, scenarios)
    code = run.execute()        # CONTRACT §6 exit code; the report is rewritten atomically as it goes

Every scenario ends with a verdict: a proxy that cannot start, dies, hangs or answers nonsense makes
the scenarios it touched INDETERMINATE with the reason, and the run goes on with the next batch.
Ctrl-C writes the partial report (``finished`` null) and exits 130.
"""
from __future__ import annotations

import math
import queue
import random
import shlex
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .batch import Batch, Slot, cooldowns_on, plan_batches
from .compare import Comparison, Verdict, compare
from .config import ConfigError, WireConfig
from .launcher import LauncherError, LiteLLMVenv, Proxy
from .oracle import Oracle
from .profile import PROFILES
from .release_features import overridden, read_features
from .replay import Observation, Replayer, new_run_id
from .report import Report, Reproducer, ScenarioResult
from .scenario import Scenario, ScenarioError
from .upstream import FakeUpstream

MUTANTS_FOR_LABELS = ("credential-tag-leak",)
ORACLE_FIELDS = ("format", "id", "profile", "profile_options", "config", "request", "principal", "faults",
                 "twin_of", "relation")
TIMEOUT_MARGIN_S = 15.0
# Proxies of coming batches started while a batch replays. 2 did not shorten `--generate 300` on the
# shared 2-core machine (92 s of batches either way) and put the first FAIL at 23 s instead of 10 s.
START_AHEAD = 1
WRITE_EVERY_S = 1.0


@dataclass
class Settings:
    """What ``routecheck-live run`` was asked to do (flags parsed, values checked)."""

    profile: str
    version: str | None = None            # --litellm VERSION
    target: str | None = None             # --target URL
    master_key: str = ""                  # for --target
    profile_options: dict = field(default_factory=dict)
    reruns: int = 3                       # runs of a FAIL (k/N)
    concurrency: int = 8                  # requests in flight against one proxy
    alone_share: float = 0.01             # share of batched scenarios repeated alone (I-5)
    shrink_budget_s: float = 120.0        # wall time for shrinking FAILs (0: no shrinking)
    preflight: bool = True
    batching: bool = True
    report_dir: Path = Path("reports/live")
    junit: Path | None = None
    seed: int | None = None
    request_timeout_s: float | None = None   # client timeout; default from the oracle's max_duration_s
    ready_timeout_s: float = 180.0
    log: Callable[[str], None] = field(default=lambda m: print(m, file=sys.stderr, flush=True))

    def replay_command(self, path: str) -> str:
        target = f"--litellm {self.version}" if self.version else f"--target {self.target}"
        return f"routecheck-live run {target} --scenarios {shlex.quote(path)} --reruns 1"


def unsupported_reason(s: Scenario, live_target: bool) -> str | None:
    if s.needs_database():
        return "key/team principals need a database, which the live setup does not have"
    if s.is_streaming():
        return "streaming is not supported in v1"
    if live_target and s.faults:
        return "faults cannot be injected on a remote --target"
    return None


def oracle_lines(s: Scenario, wire: WireConfig, profile: str, popts: dict) -> list[dict]:
    """The oracle's input for one scenario: the rewritten config, then once per labelling mutant."""
    doc = {k: v for k, v in s.to_json().items() if k in ORACLE_FIELDS}
    doc["config"] = wire.config
    doc["profile"] = s.profile if s.profile in PROFILES and s.profile == profile else profile
    opts = dict(s.profile_options)
    opts.update(popts)
    if opts:
        doc["profile_options"] = opts
    return [dict(doc, mutant=None)] + [dict(doc, mutant=m) for m in MUTANTS_FOR_LABELS]


@dataclass
class Answers:
    """The oracle's results for one scenario: ``base`` and one per labelling mutant."""

    base: dict
    mutants: dict[str, dict]

    def judge(self, obs: Observation) -> Comparison:
        return compare(obs.to_json(), self.base, self.mutants, obs.indeterminate_reason())

    def max_duration_s(self) -> float:
        outs = list(self.base.get("outcomes") or [])
        for m in self.mutants.values():
            outs += m.get("outcomes") or []
        return max([float(o.get("max_duration_s") or 0.0) for o in outs] or [0.0])


def ask_oracle(oracle: Oracle, scenarios: list[Scenario], profile: str, popts: dict,
               upstream_port: int) -> dict[str, Answers]:
    """Answers per scenario id; an input error of the oracle is the scenario's (ScenarioError, exit 2)."""
    lines: list[dict] = []
    for s in scenarios:
        try:
            wire = WireConfig.rewrite(s.config, upstream_port, where=s.source)
        except ConfigError as e:
            raise ScenarioError(e.where, f"config.{e.field}", str(e).split(": ", 2)[-1]) from None
        lines.extend(oracle_lines(s, wire, profile, popts))
    per: dict[str, dict] = {}
    for line, ans in zip(lines, oracle.ask(lines)):
        err = ans.get("error")
        if err and err.get("kind") == "input":
            src = next(s.source for s in scenarios if s.id == line["id"])
            raise ScenarioError(src, err.get("field", "?"), err.get("message", ""))
        per.setdefault(line["id"], {})[line["mutant"] or ""] = ans
    return {sid: Answers(a[""], {m: r for m, r in a.items() if m}) for sid, a in per.items()}


class LiveRun:
    def __init__(self, settings: Settings, oracle: Oracle, scenarios: list[Scenario]):
        self.settings = settings
        self.oracle = oracle
        self.scenarios = scenarios
        self.report = Report(target=f"litellm {settings.version}" if settings.version else str(settings.target),
                             profile=settings.profile, seed=settings.seed)
        self.answers: dict[str, Answers] = {}
        self.results: dict[str, ScenarioResult] = {}
        self.upstream: FakeUpstream | None = None
        self.t0 = time.monotonic()
        self.first_fail_s: float | None = None
        self._stop = threading.Event()
        self._last_write = 0.0
        self._write_cost = 0.0
        self._proxies: list[Proxy] = []
        self._ahead: list[tuple[Batch, threading.Thread, dict]] = []   # proxies of coming batches, starting
        self._cancel_starts = threading.Event()
        self._batch_of: dict[str, Batch] = {}
        self.target_unusable = False

    # --- the run ---------------------------------------------------------------------------------
    def execute(self) -> int:
        s = self.settings
        if s.version:
            self.upstream = FakeUpstream().start()
            self._fix_release_options()
        try:
            self.answers = ask_oracle(self.oracle, self.scenarios, s.profile, s.profile_options,
                                      self.upstream.port if self.upstream else 0)
            return self._execute()
        except KeyboardInterrupt:
            self._stop.set()
            for p in list(self._proxies):
                p.stop(grace=2)
            self.report.notes.append("interrupted (Ctrl-C): partial report")
            self._write(force=True)
            s.log(f"routecheck-live: interrupted; partial report in {s.report_dir}")
            return 130
        finally:
            self._cancel_starts.set()
            for _, th, _ in self._ahead:
                th.join(timeout=10)
            for p in list(self._proxies):
                p.stop(grace=2)
            if self.upstream is not None:
                self.upstream.stop()

    def _fix_release_options(self) -> None:
        """Profile options the installed release decides override the scenarios' (release_features.py)."""
        s = self.settings
        try:
            venv = LiteLLMVenv.ensure(s.version, log=self._log)
        except LauncherError:
            return      # the launch reports it, scenario by scenario
        features = read_features(venv.source(""))
        fixed = features.profile_options()
        self.report.run["release_features"] = features.to_json()
        if mismatch := features.profile_mismatch(s.profile):
            msg = f"litellm {s.version}: {mismatch}; expect FAILs that are the profile's, not the proxy's"
            self.report.notes.append(msg)
            self._log(msg)
        changed = {sc.id: overridden(sc.profile_options, fixed) for sc in self.scenarios}
        changed = {sid: c for sid, c in changed.items() if c}
        if changed:
            keys = sorted({k for c in changed.values() for k in c})
            msg = (f"{len(changed)} scenario(s) asked for profile options that litellm {s.version} decides "
                   f"({', '.join(f'{k}={fixed[k]}' for k in keys)} here, read from its package); "
                   f"replayed with the release's value")
            self.report.notes.append(msg)
            self._log(msg)
        s.profile_options = {**fixed, **s.profile_options}   # the command line still wins

    def _execute(self) -> int:
        s = self.settings
        todo = []
        for sc in self.scenarios:
            why = unsupported_reason(sc, bool(s.target))
            if why:
                self._add(ScenarioResult(sc.id, Verdict.UNSUPPORTED, reason=why, source=sc.source))
            else:
                todo.append(sc)
        if s.target and not self.upstream:
            self.report.notes.append("--target: no fake upstream, so upstream calls are not recorded; "
                                     "verdicts compare status and x-litellm-model-id only")
        problems = self._preflight() if todo else []
        if problems:
            self.target_unusable = True
            for sc in todo:
                self._add(ScenarioResult(sc.id, Verdict.INDETERMINATE, source=sc.source,
                                         reason="pre-flight failed: " + "; ".join(problems)))
            todo = []
        batches = plan_batches(todo, slots=lambda sc: s.reruns if cooldowns_on(sc) else 1,
                               batching=s.batching and not s.target)
        for n, b in enumerate(batches, 1):
            for m in b.members:
                self._batch_of[m.id] = b
            what = f"{len(b.members)} scenarios" if len(b.members) > 1 else b.members[0].id
            self._log(f"batch {n}/{len(batches)}: {what}")
            self._run_batch(b, batches[n:n + START_AHEAD])
            self._write(force=True)
        self._isolation_checks()
        self._shrink_fails()
        self.report.results.sort(key=lambda r: self._order(r.id))
        self.report.run["first_fail_s"] = round(self.first_fail_s, 1) if self.first_fail_s is not None else None
        self.report.finish()
        self._write(force=True)
        sm = self.report.summary()
        code = self.report.exit_code()
        if self.target_unusable and code == 0:
            code = 3
        self._log(f"done: {sm['PASS']} PASS, {sm['FAIL']} FAIL, {sm['INDETERMINATE']} INDETERMINATE, "
                  f"{sm['UNSUPPORTED']} UNSUPPORTED, {sm['warnings']} warnings; report in {s.report_dir}")
        self._explain_misuse(sm)
        return code

    def _order(self, rid: str) -> tuple[int, str]:
        if len(getattr(self, "_position", ())) != len(self.scenarios):
            self._position = {}
            for i, sc in enumerate(self.scenarios):
                self._position.setdefault(sc.id, i)
        return self._position.get(rid.split("~I-5", 1)[0], len(self.scenarios)), rid

    def _explain_misuse(self, sm: dict) -> None:
        """STYLE 9: a run that is green, or red, for the wrong reason says so with numbers."""
        judged = [r for r in self.report.results if r.verdict in (Verdict.PASS, Verdict.FAIL)]
        n401 = sum(1 for r in judged if (r.observed or {}).get("status") == 401)
        if judged and n401 == len(judged) and len(judged) > 2:
            msg = (f"all {n401} judged requests got 401: check the master key and the proxy's auth "
                   f"settings before reading the verdicts")
            self.report.notes.append(msg)
            self._log("warning: " + msg)
        if sm["INDETERMINATE"] and sm["INDETERMINATE"] >= max(1, len(self.scenarios) // 2):
            self._log(f"warning: {sm['INDETERMINATE']} of {len(self.scenarios)} scenarios are INDETERMINATE; "
                      f"see the reasons in {self.settings.report_dir / 'summary.md'}")

    # --- pieces --------------------------------------------------------------------------------
    def _log(self, msg: str) -> None:
        self.settings.log(f"[{time.monotonic() - self.t0:6.1f}s] {msg}")

    def _write(self, force: bool = False) -> None:
        """Progress writes: at most every WRITE_EVERY_S, and at most ~5% of the time (a write of
        thousands of results, with its fsyncs, must not slow the replays it reports on)."""
        now = time.monotonic()
        if force or now - self._last_write >= max(WRITE_EVERY_S, 20 * self._write_cost):
            self.report.results.sort(key=lambda r: self._order(r.id))
            self.report.write(self.settings.report_dir, self.settings.junit)
            self._last_write = time.monotonic()
            self._write_cost = self._last_write - now

    def _add(self, res: ScenarioResult) -> None:
        self.results[res.id] = res
        self.report.add(res)
        if res.verdict is Verdict.FAIL:
            if self.first_fail_s is None:
                self.first_fail_s = time.monotonic() - self.t0
            k, n = res.reproductions or (1, 1)
            self._log(f"FAIL {res.id} [{k}/{n}]" + (f" ({res.label})" if res.label else "") +
                      f": {res.first_divergence}")
        elif res.verdict is Verdict.INDETERMINATE:
            self._log(f"INDETERMINATE {res.id}: {(res.reason or '')[:300]}")
        self._write()

    def _preflight(self) -> list[str]:
        s = self.settings
        if not s.version or not s.preflight:
            return []
        from .probe import preflight_cached
        try:
            problems = preflight_cached(s.version, log=self._log)
        except LauncherError as e:
            problems = [f"proxy unusable: {e}"[:2000]]
        for p in problems:
            self.report.notes.append(f"pre-flight: {p}")
        return problems

    def _timeout(self, sid: str) -> float:
        if self.settings.request_timeout_s:
            return self.settings.request_timeout_s
        return 1.5 * self.answers[sid].max_duration_s() + TIMEOUT_MARGIN_S

    def _launch(self, config: dict, register_keys: bool = True) -> Proxy:
        proxy = Proxy.launch(self.settings.version, config, upstream=self.upstream,
                             ready_timeout=self.settings.ready_timeout_s, cancel=self._cancel_starts,
                             register_keys=register_keys)
        self._proxies.append(proxy)
        if self._cancel_starts.is_set():        # the run ended while this one was starting
            self._stop_proxy(proxy)
            raise LauncherError("run ended while the proxy started")
        return proxy

    def _start_ahead(self, batches: list[Batch]) -> None:
        """Starts the proxies of coming batches in threads while this batch replays (a start takes ~7 s
        alone, ~11 s for two at once on two cores)."""
        for batch in batches:
            if not any(b is batch for b, _, _ in self._ahead):
                self._start_one_ahead(batch)

    def _start_one_ahead(self, batch: Batch) -> None:
        box: dict = {}

        def start():
            try:
                box["proxy"] = self._launch(batch.config, register_keys=False)
            except LauncherError as e:
                box["error"] = e
            except Exception as e:  # noqa: BLE001 - reported as the batch's INDETERMINATE reason
                box["error"] = LauncherError(f"harness error starting the proxy: {type(e).__name__}: {e}")

        th = threading.Thread(target=start, daemon=True, name="proxy-start-ahead")
        th.start()
        self._ahead.append((batch, th, box))

    def _started(self, batch: Batch) -> Proxy:
        """The batch's proxy: the one started ahead for it, or a new one."""
        entry = next((e for e in self._ahead if e[0] is batch), None)
        if entry is None:
            return self._launch(batch.config)
        _, th, box = entry
        while th.is_alive():
            th.join(0.2)            # short joins: Ctrl-C stays responsive
        self._ahead.remove(entry)
        if "error" in box:
            raise box["error"]
        box["proxy"].register_keys()      # the previous batch is done: its keys may be remapped now
        return box["proxy"]

    def _stop_proxy(self, proxy: Proxy | None) -> None:
        if proxy is not None:
            proxy.stop()
            if proxy in self._proxies:
                self._proxies.remove(proxy)

    def _run_batch(self, batch: Batch, coming: list[Batch] | None = None) -> None:
        s = self.settings
        proxy = None
        if s.version:
            t = time.monotonic()
            try:
                proxy = self._started(batch)
            except LauncherError as e:
                self._start_ahead(coming or [])
                self.target_unusable = True
                for m in batch.members:
                    self._add(ScenarioResult(m.id, Verdict.INDETERMINATE, source=m.source,
                                             reason=f"proxy unusable: {e}"[:2000]))
                return
            self._log(f"litellm {s.version} ready on {proxy.url} in {time.monotonic() - t:.1f}s "
                      f"({len(batch.config.get('model_list') or [])} deployments)")
            self._start_ahead(coming or [])
            url, key = proxy.url, proxy.master_key
        else:
            url, key = s.target, s.master_key
        local = threading.local()
        died: list[str] = []

        def replayer() -> Replayer:
            if not hasattr(local, "r"):
                local.r = Replayer(url, key, self.upstream)
            return local.r

        def job(m: Scenario) -> ScenarioResult:
            if died:
                return ScenarioResult(m.id, Verdict.INDETERMINATE, source=m.source,
                                      reason=f"not replayed: {died[0]}")
            return self._judge(m, batch.slots_of(m.id), replayer(), proxy, died)

        try:
            for _, res, err in self._parallel(batch.members, job, max(1, s.concurrency)):
                self._add(res)
        finally:
            self._stop_proxy(proxy)

    def _parallel(self, items: list, fn, k: int):
        """Yields (index, result, None) as jobs finish, on k daemon threads (Ctrl-C stays responsive)."""
        q_in: queue.Queue = queue.Queue()
        q_out: queue.Queue = queue.Queue()
        for i, it in enumerate(items):
            q_in.put((i, it))

        def worker():
            while not self._stop.is_set():
                try:
                    i, it = q_in.get_nowait()
                except queue.Empty:
                    return
                try:
                    q_out.put((i, fn(it), None))
                except BaseException as e:  # noqa: BLE001 - a harness bug must not lose the verdict
                    q_out.put((i, ScenarioResult(getattr(it, "id", str(i)), Verdict.INDETERMINATE,
                                                 reason=f"harness error: {type(e).__name__}: {e}"), e))

        for _ in range(min(k, len(items))):
            threading.Thread(target=worker, daemon=True).start()
        for _ in range(len(items)):
            while True:
                try:
                    yield q_out.get(timeout=0.2)
                    break
                except queue.Empty:
                    continue

    def _replay(self, replayer: Replayer, slot: Slot, proxy: Proxy | None, died: list[str]) -> Observation:
        obs = replayer.replay(slot.scenario, new_run_id(slot.original.id), timeout=self._timeout(slot.original.id))
        if proxy is not None and obs.transport_error and proxy.died_within(2.0):
            why = f"the proxy process exited with {proxy.process.returncode}"
            obs.transport_error += f" ({why})"
            if not died:
                died.append(f"{why} earlier in this batch; log tail: {proxy.log_tail(400)!r}")
        return slot.namespace.observation(obs)

    def _judge(self, m: Scenario, slots: list[Slot], replayer: Replayer, proxy: Proxy | None,
               died: list[str]) -> ScenarioResult:
        answers = self.answers[m.id]
        obs = self._replay(replayer, slots[0], proxy, died)
        cmp = answers.judge(obs)
        res = ScenarioResult(m.id, cmp.verdict, expected=cmp.expected, observed=obs.to_json(),
                             first_divergence=cmp.first_divergence, label=cmp.label, warnings=cmp.warnings,
                             reason=cmp.reason, source=m.source)
        if cmp.verdict is Verdict.FAIL:
            n = max(self.settings.reruns, 1)
            k = 1
            for i in range(1, n):
                slot = slots[i] if i < len(slots) else slots[0]
                again = answers.judge(self._replay(replayer, slot, proxy, died))
                k += again.verdict is Verdict.FAIL
            res.reproductions = (k, n)
        if cmp.verdict is not Verdict.PASS or cmp.warnings:
            res.reproducer = self._reproducer(m, obs.run_id, replayer.base_url, replayer.master_key)
        return res

    def _reproducer(self, m: Scenario, run_id: str, base_url: str, key: str) -> Reproducer:
        path = self._saved(m, "scenarios")
        url, headers, body = Replayer(base_url, key, None).request_for(m, run_id)
        return Reproducer(url=url, headers={k: v for k, v in headers.items() if v is not None}, body=body,
                          replay_command=self.settings.replay_command(path))

    def _saved(self, m: Scenario, folder: str) -> str:
        """The scenario as a file of its own under the report folder (generated ones have none)."""
        import json
        from .report import write_atomic
        src = m.source.split(" [", 1)[0]
        if src.endswith(".json") and ":" not in src and Path(src).is_file():
            return src
        p = self.settings.report_dir / folder / f"{m.id}.json"
        doc = m.to_json()
        write_atomic(p, json.dumps(doc, indent=2) + "\n")
        return str(p)

    # --- I-5: a share of the batched scenarios repeated alone ---------------------------------------
    def _isolation_checks(self) -> None:
        s = self.settings
        if not s.version or s.alone_share <= 0:
            return
        batched = [m for m in self.scenarios if m.id in self._batch_of and not self._batch_of[m.id].alone
                   and self.results.get(m.id) and self.results[m.id].verdict in (Verdict.PASS, Verdict.FAIL)]
        if not batched:
            return
        n = max(1, math.ceil(s.alone_share * len(batched)))
        fails = [m for m in batched if self.results[m.id].verdict is Verdict.FAIL]
        rest = [m for m in batched if self.results[m.id].verdict is not Verdict.FAIL]
        random.Random(s.seed or 0).shuffle(rest)
        # one FAIL per label first (a FAIL seen alone is no batching artefact), then random others
        picked, labels = [], set()
        for m in fails:
            if self.results[m.id].label not in labels and len(picked) < max(1, n // 2):
                labels.add(self.results[m.id].label)
                picked.append(m)
        picked += rest[: n - len(picked)]
        self._log(f"I-5: repeating {len(picked)} of {len(batched)} batched scenarios alone")
        for m in picked:
            if self._stop.is_set():
                return
            before = self.results[m.id]
            try:
                proxy = self._launch(m.config)
            except LauncherError as e:
                self.report.notes.append(f"I-5: {m.id} could not be repeated alone: {str(e)[:300]}")
                continue
            try:
                died: list[str] = []
                from .batch import Namespace
                slot = Slot(m, 0, Namespace(""), m)
                obs = self._replay(Replayer(proxy.url, proxy.master_key, self.upstream), slot, proxy, died)
            finally:
                self._stop_proxy(proxy)
            cmp = self.answers[m.id].judge(obs)
            before.isolation = {"verdict": cmp.verdict.value, "label": cmp.label}
            if cmp.verdict is Verdict.INDETERMINATE:
                self.report.notes.append(f"I-5: {m.id} alone was INDETERMINATE: {cmp.reason}")
                continue
            if (cmp.verdict, cmp.label) != (before.verdict, before.label):
                size = len(self._batch_of[m.id].members)
                self._add(ScenarioResult(
                    f"{m.id}~I-5", Verdict.FAIL, expected=cmp.expected, observed=obs.to_json(),
                    first_divergence=(f"I-5: batched with {size - 1} other scenarios the verdict was "
                                      f"{before.verdict.value}{' (' + before.label + ')' if before.label else ''}; "
                                      f"alone it is {cmp.verdict.value}"
                                      f"{' (' + cmp.label + ')' if cmp.label else ''}"),
                    label="I-5: batching changed the verdict", source=m.source, reproductions=(1, 1)))
            else:
                self._log(f"I-5: {m.id} alone: {cmp.verdict.value} as batched")

    # --- shrinking --------------------------------------------------------------------------------
    def _shrink_fails(self) -> None:
        s = self.settings
        if not s.version or s.shrink_budget_s <= 0:
            return
        from .shrink import Shrinker
        fails = [self.results[m.id] for m in self.scenarios
                 if m.id in self.results and self.results[m.id].verdict is Verdict.FAIL]
        if not fails:
            return
        deadline = time.monotonic() + s.shrink_budget_s
        shrinker = Shrinker(self, deadline)
        seen: set = set()
        for res in fails:
            if self._stop.is_set() or time.monotonic() >= deadline:
                self.report.notes.append("shrinking stopped: time budget spent")
                break
            sig = (res.label, (res.observed or {}).get("status"))
            if res.label and sig in seen:
                continue   # one minimized reproducer per known bug and status
            seen.add(sig)
            m = next(x for x in self.scenarios if x.id == res.id)
            try:
                shrinker.minimize(m, res)
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as e:  # noqa: BLE001 - shrinking is a bonus; the verdicts stand
                self.report.notes.append(f"shrink: {m.id}: harness error {type(e).__name__}: {e}")
                self._log(f"shrink {m.id}: harness error {type(e).__name__}: {e}")
