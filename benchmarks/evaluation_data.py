"""Where the evaluation data lives and how each dataset is loaded (shared by the scripts)."""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from pathlib import Path

from gapcheck.encoder import resolve_model_path
from gapcheck.evaluation.datasets import Dataset, claudette, contractnli, operator_labels
from gapcheck.evaluation.evidence_judgments import load_judgments
from gapcheck.evaluation.harness import PairRecord, collect, make_analyzer

PROJECT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT.parent / "shared" / "data"
RESULTS = PROJECT / "benchmarks" / "results"
CONTRACTNLI_SETTINGS = RESULTS / "contractnli_calibration.json"
OPERATOR_JUDGMENTS = PROJECT / "benchmarks" / "data" / "operator_evidence_judgments.yaml"


def load(name: str) -> Dataset:
    """The named dataset: contractnli, operators or claudette."""
    if name == "contractnli":
        work = Path(tempfile.gettempdir()) / "gapcheck-contractnli"
        return contractnli(
            SHARED_DATA / "benchmarks" / "contractnli" / "dev.json",
            PROJECT / "benchmarks" / "data" / "contractnli_catalog.yaml",
            work,
        )
    if name == "operators":
        return operator_labels(
            PROJECT / "benchmarks" / "data" / "operator_labels",
            SHARED_DATA / "operator_terms",
            load_judgments(OPERATOR_JUDGMENTS),
        )
    if name == "claudette":
        return claudette(SHARED_DATA / "benchmarks" / "claudette")
    raise SystemExit(f"unknown dataset {name!r} (contractnli, operators, claudette)")


CACHE = PROJECT / "benchmarks" / ".cache"
_DATA_INPUTS = {
    "contractnli": ("benchmarks/data/contractnli_catalog.yaml",),
    "operators": (
        "requirements_catalog",
        "benchmarks/data/operator_labels",
        "benchmarks/data/operator_evidence_judgments.yaml",
    ),
    "claudette": ("requirements_catalog",),
}
"""What each dataset's matching reads besides code: editing one catalog keeps the other
datasets' caches valid."""
_CODE_INPUTS = (
    "gapcheck/ingest",
    "gapcheck/matching.py",
    "gapcheck/modality.py",
    "gapcheck/document_kind.py",
    "gapcheck/model.py",
    "gapcheck/encoder.py",
    "gapcheck/lexical.py",
    "gapcheck/modality.py",
    "gapcheck/elements.py",
    "gapcheck/segment.py",
    "gapcheck/catalog.py",
    "gapcheck/catalog_selection.py",
    "gapcheck/pipeline.py",
    "gapcheck/evaluation/harness.py",
    "gapcheck/evaluation/datasets.py",
    "gapcheck/evaluation/baselines.py",
)


def _inputs_key(name: str) -> str:
    """Hash of everything matching depends on: the model, catalogs, labels and code.

    The model is the one ``$GAPCHECK_MODEL`` names (else the bundled default), so a run
    with another model never reads records matched with this one.
    """
    digest = hashlib.sha256(name.encode())
    digest.update(str(resolve_model_path(None).resolve()).encode())
    for folder in (*_DATA_INPUTS.get(name, ()), *_CODE_INPUTS):
        root = PROJECT / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if (
                path.is_file()
                and path.suffix in (".py", ".yaml", ".json")
                and (path.name != "calibration.json")
            ):
                digest.update(path.relative_to(PROJECT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def records(name: str) -> tuple[Dataset, list[PairRecord], str]:
    """Dataset, its matched records and the model name; cached while inputs are unchanged.

    Matching a dataset takes minutes and only changes when catalogs, labels or code
    change, so the result is pickled under benchmarks/.cache (git-ignored) by a hash of
    those inputs; a stale cache is simply never read again.
    """
    dataset = load(name)
    CACHE.mkdir(exist_ok=True)
    target = CACHE / f"{name}-{_inputs_key(name)}.pickle"
    if target.exists():
        with target.open("rb") as handle:
            stored: tuple[list[PairRecord], str] = pickle.load(handle)
        return dataset, stored[0], stored[1]
    analyzer = make_analyzer(dataset)
    try:
        collected = collect(dataset, analyzer)
        model = analyzer.model.display_name
    finally:
        analyzer.close()
    with target.open("wb") as handle:
        pickle.dump((collected, model), handle)
    return dataset, collected, model
