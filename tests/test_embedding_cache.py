"""The embedding cache stores vectors per model and text, and never breaks a run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gapcheck.embedding_cache import EmbeddingCache


class CountingEncoder:
    """Deterministic vectors from text length; counts how many texts it was asked for."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_second_run_reads_everything_from_disk(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    first = EmbeddingCache(tmp_path).encode("m1", ["a", "bb", "a"], encoder.encode)
    second = EmbeddingCache(tmp_path).encode("m1", ["bb", "a"], encoder.encode)
    assert encoder.calls == [["a", "bb", "a"]]
    assert np.array_equal(second, first[[1, 0]])


def test_only_new_texts_are_encoded_and_models_do_not_share(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    cache = EmbeddingCache(tmp_path)
    cache.encode("m1", ["a"], encoder.encode)
    result = cache.encode("m1", ["a", "ccc"], encoder.encode)
    cache.encode("m2", ["a"], encoder.encode)
    assert encoder.calls == [["a"], ["ccc"], ["a"]]
    assert result[:, 0].tolist() == [1.0, 3.0]


def test_unwritable_cache_is_skipped_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = EmbeddingCache(blocker / "cache")
    assert not cache.enabled
    encoder = CountingEncoder()
    assert cache.encode("m", ["abc"], encoder.encode)[0, 0] == 3.0
