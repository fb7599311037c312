"""Issue 15: the parse cache is private to its user. `marshal` is not safe against crafted data, so the cache
directory is 0700, and a cache file that is not a regular file owned by the user is never read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import coder_pay.table as T
import coder_pay.table_cache as C
from coder_pay.table import load_table


@pytest.fixture
def mine(tmp_path: Path, table_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CODER_PAY_NO_CACHE", raising=False)
    p = tmp_path / "mine.toml"
    p.write_text(table_text, encoding="utf-8")
    return p


def _cache(mine: Path) -> Path:
    c = C._cache_file(mine)
    assert c is not None
    return c


def _parsed_again(monkeypatch: pytest.MonkeyPatch, mine: Path) -> bool:
    calls: list[int] = []
    real = T._toml_loads
    monkeypatch.setattr(T, "_toml_loads", lambda text: calls.append(1) or real(text))
    assert load_table(mine).states["TX"].wages.p50 == 47230
    monkeypatch.setattr(T, "_toml_loads", real)
    return bool(calls)


def test_the_cache_directory_and_files_are_private(mine: Path) -> None:
    load_table(mine)
    c = _cache(mine)
    assert stat.S_IMODE(os.stat(c.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(c).st_mode) == 0o600


def test_a_loose_cache_directory_of_ones_own_is_tightened(mine: Path) -> None:
    c = _cache(mine)
    c.parent.mkdir(parents=True)
    c.parent.chmod(0o777)
    load_table(mine)
    assert stat.S_IMODE(os.stat(c.parent).st_mode) == 0o700


def test_a_valid_own_cache_file_is_used(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_table(mine)
    assert not _parsed_again(monkeypatch, mine)


def test_a_symlink_is_not_followed(mine: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    load_table(mine)
    c = _cache(mine)
    elsewhere = tmp_path / "planted"
    elsewhere.write_bytes(c.read_bytes())
    c.unlink()
    c.symlink_to(elsewhere)
    assert _parsed_again(monkeypatch, mine)


def test_a_fifo_is_ignored_without_blocking(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = _cache(mine)
    c.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(c)
    assert _parsed_again(monkeypatch, mine)  # returns: opening the FIFO does not wait for a writer


def test_a_group_writable_cache_file_is_ignored(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_table(mine)
    _cache(mine).chmod(0o666)
    assert _parsed_again(monkeypatch, mine)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_owned_by_another_user_is_ignored(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_table(mine)
    os.chown(_cache(mine), 54321, 54321)
    assert _parsed_again(monkeypatch, mine)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a directory away")
def test_a_cache_directory_owned_by_another_user_is_not_used(mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_table(mine)
    c = _cache(mine)
    os.chown(c.parent, 54321, 54321)
    assert _parsed_again(monkeypatch, mine)
    c.unlink()
    load_table(mine)
    assert not c.exists()  # nothing written into it either
