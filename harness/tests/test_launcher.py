"""Launcher refusals (denylist, missing or tainted locks, the .pth stealer) and the proxy environment."""
import os
from pathlib import Path

import pytest

from routecheck_live import launcher
from routecheck_live.launcher import (LiteLLMVenv, RefusedVersion, check_version_allowed, denylisted_versions,
                                      locked_litellm_versions, proxy_env)

REAL_LOCKS = Path(launcher.LOCKS_DIR)


def make_locks(tmp_path, locks):
    d = tmp_path / "locks"
    d.mkdir()
    (d / "denylist.txt").write_text("# compromised\n1.82.7\n1.82.8  # stealer\n")
    for version, text in locks.items():
        (d / f"litellm-{version}.txt").write_text(text)
    return d


def test_project_denylist_has_the_compromised_releases():
    assert {"1.82.7", "1.82.8"} <= denylisted_versions(REAL_LOCKS / "denylist.txt")


def test_project_locks_are_hash_locked_and_clean():
    for lock in REAL_LOCKS.glob("litellm-*.txt"):
        text = lock.read_text()
        version = lock.stem[len("litellm-"):]
        assert locked_litellm_versions(text) == [version]
        assert "--hash=sha256:" in text and "--find-links" not in text.replace("--no-emit-find-links", "")
        check_version_allowed(version)


@pytest.mark.parametrize("version", ["1.82.7", "1.82.8"])
def test_refuses_denylisted_even_with_a_lock(tmp_path, version):
    d = make_locks(tmp_path, {version: f"litellm[proxy]=={version} \\\n    --hash=sha256:00\n"})
    with pytest.raises(RefusedVersion, match="denylisted"):
        check_version_allowed(version, d)
    with pytest.raises(RefusedVersion, match="denylisted"):
        LiteLLMVenv.ensure(version, locks_dir=d, root=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_refuses_version_without_lock(tmp_path):
    d = make_locks(tmp_path, {})
    with pytest.raises(RefusedVersion, match="no hash lock.*scripts/lock-litellm 1.82.3"):
        check_version_allowed("1.82.3", d)


def test_refuses_lock_naming_a_denylisted_version(tmp_path):
    d = make_locks(tmp_path, {"1.82.6": "litellm==1.82.8 \\\n    --hash=sha256:00\n"})
    with pytest.raises(RefusedVersion, match="pins denylisted litellm 1.82.8"):
        check_version_allowed("1.82.6", d)


def test_refuses_venv_with_litellm_init_pth(tmp_path):
    d = make_locks(tmp_path, {"1.82.3": "litellm[proxy]==1.82.3 \\\n    --hash=sha256:00\n"})
    venv = tmp_path / "cache" / "litellm-1.82.3"
    sp = venv / "lib" / "python3.11" / "site-packages"
    sp.mkdir(parents=True)
    (venv / "bin").mkdir()
    (venv / "bin" / "litellm").write_text("")
    import hashlib
    (venv / ".routecheck-lock.sha256").write_text(
        hashlib.sha256((d / "litellm-1.82.3.txt").read_bytes()).hexdigest())
    (sp / "litellm_init.pth").write_text("import os")
    with pytest.raises(RefusedVersion, match="litellm_init.pth"):
        LiteLLMVenv.ensure("1.82.3", locks_dir=d, root=tmp_path / "cache")


def test_proxy_env_has_no_credentials(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real")
    monkeypatch.setenv("DATABASE_URL", "postgres://x")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy")
    env = proxy_env()
    assert env["LITELLM_LOCAL_MODEL_COST_MAP"] == "true"
    assert not {"OPENAI_API_KEY", "DATABASE_URL", "HTTPS_PROXY"} & set(env)


def test_cache_root_honours_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert launcher.cache_root() == tmp_path / "routecheck"
