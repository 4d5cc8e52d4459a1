"""A lean sentence encoder for BERT-family sentence-transformers models.

Why it exists: ``import sentence_transformers`` pulls in transformers, scikit-learn and
SciPy and costs about 4.5 s on the 2-core machines gapcheck targets, longer than the
whole analysis of a typical policy set. A BERT encoder is a few matrix products, so for
models that are plainly BERT + mean/CLS pooling (the default all-MiniLM-L6-v2 among
them) this module runs the same forward pass with ``tokenizers`` + ``safetensors`` +
``torch`` alone: identical embeddings (cosine >= 0.99999 against sentence-transformers in
``tests/test_encoder.py``) for a third of the start-up time. Any other architecture is
left to sentence-transformers (see :mod:`gapcheck.encoder`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from tokenizers import Tokenizer

MAX_BATCH_TOKENS = 8192
"""Padded tokens per forward pass; bounds memory while keeping matrix products large."""

MAX_BATCH_SIZE = 64


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def bert_layout(model_dir: Path) -> dict[str, Any] | None:
    """Describe ``model_dir`` if this encoder can run it, else None.

    It can when the sentence-transformers pipeline is Transformer -> Pooling (mean or CLS)
    [-> Normalize], the transformer is a BERT with absolute positions and GELU, and the
    weights are in ``model.safetensors`` with a fast ``tokenizer.json``.
    """
    try:
        modules = _read_json(model_dir / "modules.json")
        config = _read_json(model_dir / "config.json")
    except (OSError, ValueError):
        return None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        return None
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        return None
    if config.get("position_embedding_type", "absolute") != "absolute":
        return None
    if (
        not (model_dir / "model.safetensors").is_file()
        or not (model_dir / "tokenizer.json").is_file()
    ):
        return None
    pooling_dir = model_dir / str(modules[1].get("path", "1_Pooling"))
    try:
        pooling = _read_json(pooling_dir / "config.json")
    except (OSError, ValueError):
        return None
    if pooling.get("pooling_mode_mean_tokens"):
        mode = "mean"
    elif pooling.get("pooling_mode_cls_token"):
        mode = "cls"
    else:
        return None
    max_length = 512
    st_config = model_dir / "sentence_bert_config.json"
    if st_config.is_file():
        max_length = int(_read_json(st_config).get("max_seq_length", max_length))
    return {"config": config, "pooling": mode, "max_length": max_length}


class BertEncoder:
    """Runs a BERT sentence-transformers model with plain torch operations."""

    def __init__(self, model_dir: Path, layout: dict[str, Any], use_bf16: bool) -> None:
        config = layout["config"]
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.pooling = str(layout["pooling"])
        self.max_length = min(int(layout["max_length"]), int(config["max_position_embeddings"]))
        self.use_bf16 = use_bf16
        weights = load_file(str(model_dir / "model.safetensors"))
        self._weights = {_strip_prefix(name): tensor for name, tensor in weights.items()}
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The shipped tokenizer.json pads everything to 128 tokens; batches are padded
        # here instead, to the longest member only.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_length)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.hidden), dtype=np.float32)
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        result = np.zeros((len(ids), self.hidden), dtype=np.float32)
        with torch.inference_mode():
            for batch in _length_batches(order, ids):
                vectors = self._forward([ids[i] for i in batch])
                result[batch] = vectors.numpy()
        return result

    def _weight(self, name: str) -> torch.Tensor:
        return self._weights[name]

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self._weight(f"{name}.weight"), self._weight(f"{name}.bias"))

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(
            x.float(),
            (self.hidden,),
            self._weight(f"{name}.weight"),
            self._weight(f"{name}.bias"),
            self.eps,
        )

    def _forward(self, batch_ids: list[list[int]]) -> torch.Tensor:
        longest = max(len(row) for row in batch_ids)
        tokens = torch.zeros((len(batch_ids), longest), dtype=torch.long)
        mask = torch.zeros((len(batch_ids), longest), dtype=torch.bool)
        for row, row_ids in enumerate(batch_ids):
            tokens[row, : len(row_ids)] = torch.tensor(row_ids, dtype=torch.long)
            mask[row, : len(row_ids)] = True
        x = (
            self._weight("embeddings.word_embeddings.weight")[tokens]
            + self._weight("embeddings.position_embeddings.weight")[:longest]
            + self._weight("embeddings.token_type_embeddings.weight")[0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        attention_mask = mask[:, None, None, :]
        size, length = tokens.shape
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.use_bf16):
            for layer in range(self.layers):
                prefix = f"encoder.layer.{layer}"
                q, k, v = (
                    self._linear(x, f"{prefix}.attention.self.{part}")
                    .view(size, length, self.heads, -1)
                    .transpose(1, 2)
                    for part in ("query", "key", "value")
                )
                attended = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
                attended = attended.transpose(1, 2).reshape(size, length, self.hidden)
                x = self._norm(
                    self._linear(attended, f"{prefix}.attention.output.dense") + x,
                    f"{prefix}.attention.output.LayerNorm",
                )
                inner = F.gelu(self._linear(x, f"{prefix}.intermediate.dense"))
                x = self._norm(
                    self._linear(inner, f"{prefix}.output.dense") + x,
                    f"{prefix}.output.LayerNorm",
                )
        if self.pooling == "cls":
            pooled = x[:, 0]
        else:
            weights = mask.unsqueeze(-1).float()
            pooled = (x.float() * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled.float(), dim=-1)


def _strip_prefix(name: str) -> str:
    """Weights saved from ``BertForX`` carry a ``bert.`` prefix; the encoder needs none."""
    for prefix in ("bert.", "model."):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _length_batches(order: list[int], ids: list[list[int]]) -> list[list[int]]:
    """Group indices (sorted by length) so each batch stays under the token budget."""
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = max(len(ids[index]), 1)
        if current and (
            len(current) >= MAX_BATCH_SIZE or longest * (len(current) + 1) > MAX_BATCH_TOKENS
        ):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches
