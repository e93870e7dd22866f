"""Installs a pinned LiteLLM into a cached venv and runs its proxy against the fake upstream.

    with Proxy.launch("1.82.3", scenario_config) as proxy:
        proxy.url            # http://127.0.0.1:<port>
        proxy.wire.config    # the rewritten config (CONTRACT §9): ask the oracle about this one
        proxy.upstream       # the FakeUpstream the deployments point at

Supply-chain rules (semantics §11.1): only versions with a hash lock in ``harness/locks/`` are
installed, with ``pip install --require-hashes``; versions in ``harness/locks/denylist.txt`` are
refused, so is a lock that names one, and a venv holding ``litellm_init.pth``.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from .config import DEFAULT_MASTER_KEY, WireConfig
from .upstream import FakeUpstream

HARNESS_DIR = Path(__file__).resolve().parent.parent
LOCKS_DIR = HARNESS_DIR / "locks"
DENYLIST = LOCKS_DIR / "denylist.txt"
STAMP = ".routecheck-lock.sha256"
MALICIOUS_PTH = "litellm_init.pth"
# Environment the proxy inherits: nothing else (no credentials, no DATABASE_URL, no HTTP proxies).
ENV_ALLOW = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")


class LauncherError(RuntimeError):
    """The launcher refused or failed; the message carries the evidence (paths, log tails)."""


class RefusedVersion(LauncherError):
    """A version that must not be installed (denylisted, no lock, tainted lock or venv)."""


class ProxyStartError(LauncherError):
    """The proxy exited or never became ready; ``log_tail`` holds the end of its output."""

    def __init__(self, message: str, log_tail: str = ""):
        super().__init__(f"{message}\n--- proxy log (tail) ---\n{log_tail}" if log_tail else message)
        self.log_tail = log_tail


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "routecheck"


def cache_locks_dir() -> Path:
    """Where ``routecheck-live bisect`` keeps the hash locks it makes on the fly."""
    return cache_root() / "locks"


def denylisted_versions(path: Path = DENYLIST) -> set[str]:
    versions = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            versions.add(line)
    return versions


def lock_path(version: str, locks_dir: Path = LOCKS_DIR) -> Path:
    return locks_dir / f"litellm-{version}.txt"


def locked_litellm_versions(lock_text: str) -> list[str]:
    """Every ``litellm==X`` / ``litellm[extra]==X`` pin of a lock file."""
    return re.findall(r"(?im)^litellm(?:\[[^\]]*\])?==([^\s;\\]+)", lock_text)


def check_version_allowed(version: str, locks_dir: Path = LOCKS_DIR,
                          denylist: Path | None = None) -> Path:
    """The lock path for ``version``, or RefusedVersion saying why not."""
    denylist = denylist or locks_dir / "denylist.txt"
    denied = denylisted_versions(denylist)
    if version in denied:
        raise RefusedVersion(f"litellm {version} is denylisted in {denylist} (compromised release); "
                             f"refusing to install it")
    lock = lock_path(version, locks_dir)
    if not lock.is_file() and locks_dir == LOCKS_DIR:
        lock = lock_path(version, cache_locks_dir())   # bisect's on-the-fly locks (gate/bisect.py)
    if not lock.is_file():
        raise RefusedVersion(f"litellm {version} has no hash lock at {lock}; make one with "
                             f"`scripts/lock-litellm {version}`")
    pins = locked_litellm_versions(lock.read_text())
    bad = [p for p in pins if p in denied]
    if bad:
        raise RefusedVersion(f"{lock} pins denylisted litellm {bad[0]}; refusing it")
    if pins != [version]:
        raise RefusedVersion(f"{lock} pins litellm {pins or 'nothing'}, expected exactly {version}")
    return lock


@dataclass
class LiteLLMVenv:
    """A cached per-version venv: ``${XDG_CACHE_HOME:-~/.cache}/routecheck/litellm-<version>/``."""

    version: str
    path: Path
    lock: Path
    install_seconds: float | None = None   # set when this object installed it

    @classmethod
    def ensure(cls, version: str, locks_dir: Path = LOCKS_DIR, root: Path | None = None,
               python: str | None = None, log=None) -> "LiteLLMVenv":
        lock = check_version_allowed(version, locks_dir)
        path = (root or cache_root()) / f"litellm-{version}"
        venv = cls(version, path, lock)
        want = hashlib.sha256(lock.read_bytes()).hexdigest()
        stamp = path / STAMP
        if not (stamp.is_file() and stamp.read_text().strip() == want and venv.bin("litellm").exists()):
            venv._install(want, python, log)
        venv.check_clean()
        return venv

    def bin(self, name: str) -> Path:
        return self.path / "bin" / name

    def site_packages(self) -> list[Path]:
        return sorted(self.path.glob("lib/python*/site-packages"))

    def check_clean(self) -> None:
        for sp in self.site_packages():
            if (sp / MALICIOUS_PTH).exists():
                raise RefusedVersion(f"{sp / MALICIOUS_PTH} exists: this venv carries the 1.82.8 "
                                     f"credential stealer; delete {self.path} and check the machine")

    def source(self, relpath: str) -> Path:
        """A file of the installed litellm package, e.g. ``router.py``."""
        return self.site_packages()[0] / "litellm" / relpath

    def _install(self, want: str, python: str | None, log) -> None:
        say = log or (lambda msg: print(msg, file=sys.stderr))
        python = python or os.environ.get("ROUTECHECK_PYTHON") or (
            "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        say(f"routecheck: installing litellm {self.version} into {self.path} from {self.lock}")
        t0 = time.monotonic()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_FIND_LINKS")}
        steps = [[python, "-m", "venv", str(self.path)],
                 [str(self.bin("python")), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                  "--require-hashes", "--no-deps", "-r", str(self.lock)]]
        for cmd in steps:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise LauncherError(f"installing litellm {self.version} failed: `{' '.join(cmd)}` exited "
                                    f"{proc.returncode}\n{(proc.stdout + proc.stderr)[-4000:]}")
        self.check_clean()
        (self.path / STAMP).write_text(want + "\n")
        self.install_seconds = time.monotonic() - t0
        say(f"routecheck: installed litellm {self.version} in {self.install_seconds:.0f}s")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def proxy_env(extra: dict | None = None) -> dict:
    env = {k: os.environ[k] for k in ENV_ALLOW if k in os.environ}
    env.update({"LITELLM_LOCAL_MODEL_COST_MAP": "true", "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra or {})
    return env


class Proxy:
    """A running LiteLLM proxy process (see the module text)."""

    def __init__(self, venv: LiteLLMVenv, wire: WireConfig, upstream: FakeUpstream | None, owns_upstream: bool,
                 workdir: Path, port: int, env: dict | None = None):
        self.venv, self.wire, self.upstream = venv, wire, upstream
        self._owns_upstream = owns_upstream
        self.workdir, self.port = workdir, port
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / "proxy.log"
        self.config_path = workdir / "config.yaml"
        self.env = dict(env or {})

    @property
    def version(self) -> str:
        return self.venv.version

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def master_key(self) -> str:
        return self.wire.master_key

    @classmethod
    def launch_plain(cls, version: str, config: dict, master_key: str, env: dict | None = None,
                     ready_timeout: float = 180.0, log=None) -> "Proxy":
        """A proxy on ``config`` exactly as given (no rewrite, no fake upstream): for reproducers
        whose faults are LiteLLM's own ``mock_response`` and whose keys are ``os.environ/`` refs."""
        venv = LiteLLMVenv.ensure(version, log=log)
        workdir = Path(tempfile.mkdtemp(prefix=f"routecheck-litellm-{version}-"))
        proxy = cls(venv, WireConfig(config=config, master_key=master_key), None, False, workdir, free_port(),
                    env=env)
        try:
            proxy._start(ready_timeout, False)
        except BaseException:
            proxy.stop()
            raise
        return proxy

    @classmethod
    def launch(cls, version: str, config: dict, upstream: FakeUpstream | None = None,
               master_key: str = DEFAULT_MASTER_KEY, ready_timeout: float = 180.0,
               detailed_debug: bool = False, workdir: Path | None = None, log=None,
               cancel: threading.Event | None = None, register_keys: bool = True) -> "Proxy":
        """Starts the proxy and waits until it is ready; ``cancel`` set while waiting stops it and
        raises ProxyStartError (a start running ahead in a thread when the run is interrupted).
        ``register_keys=False``: the fake upstream learns this config's fake keys only at
        ``proxy.register_keys()`` (fake keys are numbered per config, so a proxy started ahead must
        not remap the keys of the one still replaying)."""
        venv = LiteLLMVenv.ensure(version, log=log)
        owns = upstream is None
        upstream = upstream or FakeUpstream()
        upstream.start()
        wire = WireConfig.rewrite(config, upstream.port, master_key)
        if register_keys:
            upstream.add_keys(wire.keys)
        workdir = Path(workdir or tempfile.mkdtemp(prefix=f"routecheck-litellm-{version}-"))
        workdir.mkdir(parents=True, exist_ok=True)
        proxy = cls(venv, wire, upstream, owns, workdir, free_port())
        try:
            proxy._start(ready_timeout, detailed_debug, cancel)
        except BaseException:
            proxy.stop()
            raise
        return proxy

    def _start(self, ready_timeout: float, detailed_debug: bool, cancel: threading.Event | None = None) -> None:
        self.venv.check_clean()
        self.config_path.write_text(self.wire.to_yaml())
        cmd = [str(self.venv.bin("litellm")), "--config", str(self.config_path), "--host", "127.0.0.1",
               "--port", str(self.port), "--num_workers", "1"]
        if detailed_debug:
            cmd.append("--detailed_debug")
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(cmd, cwd=self.workdir, env=proxy_env(self.env), stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if cancel is not None and cancel.is_set():
                raise ProxyStartError(f"litellm {self.version} start cancelled")
            if self.process.poll() is not None:
                raise ProxyStartError(f"litellm {self.version} exited with {self.process.returncode} "
                                      f"before becoming ready (`{' '.join(cmd)}`)", self.log_tail())
            try:
                r = requests.get(f"{self.url}/health/liveliness", timeout=2)
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise ProxyStartError(f"litellm {self.version} on port {self.port} not ready after "
                              f"{ready_timeout:.0f}s", self.log_tail())

    def register_keys(self) -> None:
        if self.upstream is not None:
            self.upstream.add_keys(self.wire.keys)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def died_within(self, seconds: float) -> bool:
        """True if the process has exited or exits within `seconds`.

        A dying proxy closes its sockets before the kernel lets us reap it, so a
        transport error can arrive while poll() still says it runs.
        """
        if self.process is None:
            return False
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, grace: float = 10.0) -> None:
        proc = self.process
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)   # the proxy's own process group (start_new_session)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if self._owns_upstream and self.upstream is not None:
            self.upstream.stop()

    def __enter__(self) -> "Proxy":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
