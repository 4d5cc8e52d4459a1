"""The lean BERT encoder must reproduce sentence-transformers, and load offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gapcheck.bert_encoder import BertEncoder, bert_layout
from gapcheck.encoder import MODEL_ENV, default_model_path, load_model, resolve_model_path
from gapcheck.errors import ModelError

TEXTS = [
    "You must be at least 13 years old to use the Service.",
    "Users may not use outputs to develop models that compete with our providers.",
    "We may suspend your account if you violate these Terms.",
    "The quick brown fox jumps over the lazy dog.",
    "Our chatbot tells you at the start of each conversation that you are talking to an AI. "
    * 12,  # longer than the model's window: truncation must match too
    "x",
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(default_model_path()), device="cpu")
    return np.asarray(model.encode(TEXTS, normalize_embeddings=True))


def test_default_model_is_a_bert_layout() -> None:
    layout = bert_layout(default_model_path())
    assert layout is not None
    assert layout["pooling"] == "mean"
    assert layout["max_length"] == 256


def test_fp32_matches_sentence_transformers(reference: np.ndarray) -> None:
    model_dir = default_model_path()
    encoder = BertEncoder(model_dir, bert_layout(model_dir) or {}, use_bf16=False)
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == reference.shape
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() > 0.99999


def test_bf16_stays_within_tolerance(reference: np.ndarray) -> None:
    model_dir = default_model_path()
    encoder = BertEncoder(model_dir, bert_layout(model_dir) or {}, use_bf16=True)
    cosines = (encoder.encode(TEXTS) * reference).sum(axis=1)
    assert cosines.min() > 0.999


def test_embeddings_are_unit_length_and_meaningful(loaded_model) -> None:  # type: ignore[no-untyped-def]
    vectors = loaded_model.encoder.encode(
        [
            "You must be 18 or older to use this app.",
            "Only adults aged eighteen and over may register.",
            "Payment is due within thirty days of the invoice.",
        ]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert loaded_model.encoder.encode([]).shape == (0, 384)


def test_model_is_loaded_once_per_process(loaded_model) -> None:  # type: ignore[no-untyped-def]
    assert load_model(default_model_path()) is loaded_model


def test_model_path_option_env_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert resolve_model_path(None) == default_model_path()
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    assert resolve_model_path(None) == tmp_path
    with pytest.raises(ModelError, match="--model must name a local"):
        resolve_model_path(str(tmp_path / "missing"))
    with pytest.raises(ModelError, match="cannot load the model"):
        load_model(tmp_path)  # an empty folder is not a model
