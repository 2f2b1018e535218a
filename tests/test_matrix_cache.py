"""The on-disk matrix cache: a hit skips the YAML, anything unreadable or stale is a miss, never an error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from scanner import matrix_cache, matrix_sources
from scanner.errors import MatrixError
from scanner.matrix import Matrix
from scanner.matrix_cache import cache_dir, cached_matrix
from scanner.matrix_sources import load_all, merge_texts

ACME = Path(__file__).parent / "fixtures" / "acme" / "acme-matrix.yaml"
TEXTS = [("acme.yaml", ACME.read_text(encoding="utf-8"), "cli")]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CFGSCAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CFGSCAN_NO_CACHE", raising=False)
    return tmp_path / "cache"


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: Sequence[tuple[str, str, str]]) -> Matrix:
        self.calls += 1
        return merge_texts(texts)


def test_second_load_comes_from_the_cache(cache: Path) -> None:
    build = Counting()
    first = cached_matrix(TEXTS, build)
    second = cached_matrix(TEXTS, build)
    assert build.calls == 1
    assert set(second.rules) == set(first.rules) == {f"ACME00{i}" for i in range(1, 8)}
    assert second.rules == first.rules and second.products == first.products  # every field survives the pickle
    assert len(list(cache.glob("matrix-*.pickle"))) == 1


def test_changed_text_is_a_new_key(cache: Path) -> None:
    build = Counting()
    cached_matrix(TEXTS, build)
    changed = [(label, text.replace("Acme Server", "Acme Server 2"), src) for label, text, src in TEXTS]
    assert cached_matrix(changed, build).products["acme"].title == "Acme Server 2"
    assert build.calls == 2


def test_a_corrupt_cache_file_is_rebuilt(cache: Path) -> None:
    build = Counting()
    cached_matrix(TEXTS, build)
    for f in cache.glob("matrix-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert "ACME001" in cached_matrix(TEXTS, build).rules
    assert build.calls == 2


def test_an_invalid_matrix_is_never_cached(cache: Path) -> None:
    bad = [("bad.yaml", "schema: 1\nproduct: x\n", "cli")]
    for _ in range(2):
        with pytest.raises(MatrixError):
            cached_matrix(bad, merge_texts)
    assert not list(cache.glob("matrix-*.pickle")) if cache.exists() else True


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CFGSCAN_NO_CACHE", "1")
    assert cache_dir() is None
    build = Counting()
    cached_matrix(TEXTS, build)
    cached_matrix(TEXTS, build)
    assert build.calls == 2


def test_load_all_goes_through_the_cache(cache: Path) -> None:
    direct = load_all(cli_paths=[ACME], builtin=False, plugins=False)
    again = load_all(cli_paths=[ACME], builtin=False, plugins=False)
    assert list(cache.glob("matrix-*.pickle"))
    assert set(again.rules) == set(direct.rules)


def test_the_bundled_matrix_survives_the_pickle(cache: Path) -> None:
    direct = load_all(plugins=False)
    cached = load_all(plugins=False)
    assert cached is not direct
    assert cached.rules == direct.rules and cached.products == direct.products


def test_a_matrix_file_is_keyed_by_its_metadata(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_cache, "RECENT_SECONDS", -1.0)  # trust the times of a file written just now
    reads: list[Path] = []
    read = matrix_sources._read
    monkeypatch.setattr(matrix_sources, "_read", lambda path: reads.append(path) or read(path))
    house = tmp_path / "house.yaml"
    house.write_text(ACME.read_text(encoding="utf-8"), encoding="utf-8")
    assert matrix_cache.file_key("house.yaml", str(house), "cli") is not None
    assert load_all(cli_paths=[house], builtin=False, plugins=False).products["acme"].title == "Acme Server"
    assert load_all(cli_paths=[house], builtin=False, plugins=False).products["acme"].title == "Acme Server"
    assert reads == [house]  # the cache hit read no matrix text
    house.write_text(ACME.read_text(encoding="utf-8").replace("Acme Server", "Acme Servr2"), encoding="utf-8")
    assert load_all(cli_paths=[house], builtin=False, plugins=False).products["acme"].title == "Acme Servr2"


def test_a_file_changed_just_now_is_keyed_by_its_text(cache: Path, tmp_path: Path) -> None:
    """A clock coarser than two quick writes would leave the times unchanged: a fresh file is read and hashed."""
    house = tmp_path / "house.yaml"
    house.write_text(ACME.read_text(encoding="utf-8"), encoding="utf-8")
    assert matrix_cache.file_key("house.yaml", str(house), "cli") is None
    assert matrix_cache.file_key("gone.yaml", str(tmp_path / "gone.yaml"), "cli") is None
    assert matrix_cache.file_key("folder", str(tmp_path), "cli") is None


def test_load_all_takes_paths_as_text(cache: Path) -> None:
    """scan.load_matrix may pass option strings as they are (no pathlib on the pre-commit path)."""
    by_text = load_all(cli_paths=[str(ACME)], builtin=False, plugins=False)
    assert by_text.rules == load_all(cli_paths=[ACME], builtin=False, plugins=False).rules
    assert by_text.products["acme"].origin == str(ACME)
