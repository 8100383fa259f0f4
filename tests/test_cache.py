"""kg's cache on disk (kg/cache.py): where it is, how entries are named and kept."""

from __future__ import annotations

from pathlib import Path

from kg import cache


def test_the_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "c"))
    assert cache.cache_dir() == tmp_path / "c"
    monkeypatch.setenv("KG_CACHE_DIR", "")
    assert cache.cache_dir() is None
    monkeypatch.delenv("KG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "kg"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: relative paths are invalid
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "kg"


def test_keys_count_each_part_whole():
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("ab", "c") == cache.key("ab", "c")
    assert len(cache.key("x")) == 64


def test_an_entry_is_read_back_and_written_whole(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    name = cache.key("q")
    assert cache.read("kind", name) is None
    cache.write("kind", name, b"value")
    assert cache.read("kind", name) == b"value"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [tmp_path / "kind" / name[:2] / name]  # no temporary file left behind


def test_no_cache_when_it_is_off(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    cache.write("kind", cache.key("q"), b"value")
    assert cache.read("kind", cache.key("q")) is None
    assert not any(tmp_path.rglob("*"))


def test_a_cache_path_that_is_a_file_is_skipped(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker))
    cache.write("kind", cache.key("q"), b"value")
    assert cache.read("kind", cache.key("q")) is None
    assert Path(blocker).read_text() == "not a folder"
