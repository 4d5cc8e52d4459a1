"""An on-disk cache of embeddings, keyed by model identity and text hash.

Catalog texts (requirements and example clauses) are the same on every run, so a second
run should not re-encode them. SQLite gives atomic writes and safe concurrent readers
(several ``gapcheck`` processes in CI share one cache) with nothing to install. A cache
that cannot be opened or written is skipped, never fatal: it only costs time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import platformdirs

log = logging.getLogger(__name__)

CACHE_ENV = "GAPCHECK_CACHE_DIR"


def default_cache_dir() -> Path:
    """``$GAPCHECK_CACHE_DIR`` if set, else the platform's user cache folder."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir("gapcheck"))


def text_key(text: str) -> str:
    """The cache key of a text: its SHA-256, so changed wording is a new entry."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors stored per (model id, text hash) in ``embeddings.sqlite``."""

    def __init__(self, folder: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / "embeddings.sqlite", timeout=10)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS embedding ("
                " model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, text_hash))"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as error:
            log.warning("embedding cache disabled (%s): %s", folder, error)
            self._db = None

    @property
    def enabled(self) -> bool:
        """Whether lookups and stores reach the disk."""
        return self._db is not None

    def encode(
        self,
        model_id: str,
        texts: Sequence[str],
        encode: Callable[[Sequence[str]], np.ndarray],
    ) -> np.ndarray:
        """Embeddings for ``texts``, computing (and storing) only the ones not cached."""
        keys = [text_key(text) for text in texts]
        found = self._lookup(model_id, keys)
        missing = [i for i, key in enumerate(keys) if key not in found]
        fresh = encode([texts[i] for i in missing]) if missing else None
        if fresh is not None:
            self._store(model_id, [(keys[i], fresh[row]) for row, i in enumerate(missing)])
        rows: list[np.ndarray] = []
        fresh_row = {index: row for row, index in enumerate(missing)}
        for i, key in enumerate(keys):
            if i in fresh_row and fresh is not None:
                rows.append(fresh[fresh_row[i]])
            else:
                rows.append(found[key])
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(rows).astype(np.float32, copy=False)

    def _lookup(self, model_id: str, keys: list[str]) -> dict[str, np.ndarray]:
        if self._db is None or not keys:
            return {}
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        try:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = (
                    f"SELECT text_hash, vector FROM embedding WHERE model = ? "
                    f"AND text_hash IN ({marks})"
                )
                for text_hash, blob in self._db.execute(query, [model_id, *chunk]):
                    found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as error:
            log.warning("embedding cache read failed: %s", error)
            return {}
        return found

    def _store(self, model_id: str, items: list[tuple[str, np.ndarray]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO embedding (model, text_hash, vector) VALUES (?, ?, ?)",
                    [(model_id, key, vector.astype(np.float32).tobytes()) for key, vector in items],
                )
        except sqlite3.Error as error:
            log.warning("embedding cache write failed: %s", error)
