"""Clauses that grant what an obligation forbids: what does gapcheck call them?

    python benchmarks/permission_probe.py

Stance conflicts need a similarity of at least the calibrated conflict threshold (0.8 for
the bundled settings), because lower ones were mostly false on the tuning operators. This
prints the verdict for eleven permissions (ten we wrote, one the issue's own example of a
conflict), one clause each against one OpenAI prohibition, so the blind spot the README
describes can be re-measured after any change.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from gapcheck.assess import assess
from gapcheck.catalog_selection import CatalogSelection, resolve_catalogs
from gapcheck.embedding_cache import EmbeddingCache
from gapcheck.encoder import default_model_path, load_model
from gapcheck.matching import CatalogIndex, embed_clauses, rank_clauses, score_table
from gapcheck.model import Clause
from gapcheck.settings import BUNDLED_CATALOG_DIR, load_match_settings

PERMISSIONS = {
    "OPENAI-COMPETING-MODELS": (
        "You may use outputs to train AI models, including models that compete with OpenAI.",
        "You may use Outputs to develop models that compete with OpenAI.",
        "You may use outputs to train any model.",  # the issue's own example of a conflict
    ),
    "OPENAI-REVERSE-ENGINEERING-SCRAPING": (
        "You may reverse engineer the Service and scrape its content with automated tools.",
    ),
    "OPENAI-ACCOUNT-RESPONSIBILITY": (
        "You may share your account credentials with anyone you like.",
    ),
    "OPENAI-SAFEGUARD-CIRCUMVENTION": (
        "You may attempt to bypass or disable the Service's safety filters.",
    ),
    "OPENAI-POLITICAL-ELECTIONS": (
        "You may use the Service for political campaigning and lobbying.",
    ),
    "OPENAI-NO-HUMAN-MISREPRESENTATION": (
        "You may present Outputs as your own human-written work.",
    ),
    "OPENAI-LIKENESS-NCII": ("You may generate images of real people without their consent.",),
    "OPENAI-MALICIOUS-CYBER-IP": ("You may use the Service to write malware.",),
    "OPENAI-HIGH-STAKES-HUMAN-REVIEW": (
        "You may use outputs to make automated hiring and credit decisions without human review.",
    ),
}


def main() -> int:
    """Assess each permission alone against its obligation and print the verdicts."""
    model = load_model(default_model_path())
    catalogs = resolve_catalogs(BUNDLED_CATALOG_DIR, CatalogSelection(vendors=("openai",)))
    with tempfile.TemporaryDirectory() as cache:
        index = CatalogIndex.build(catalogs, model, EmbeddingCache(Path(cache)))
    settings = load_match_settings()
    columns = {entry.obligation.id: i for i, entry in enumerate(index.entries)}
    statuses: Counter[str] = Counter()
    for obligation_id, texts in PERMISSIONS.items():
        for text in texts:
            clause = Clause("probe.md", "1", (), text, 0, len(text))
            vectors = embed_clauses([clause], model)
            similarities = vectors @ index.vectors.T
            table = score_table(index, similarities, [clause])
            column = columns[obligation_id]
            matches = rank_clauses(column, index, [clause], similarities, table, 20)
            finding = assess(index.entries[column], matches, settings)
            statuses[finding.status.value] += 1
            print(f"{finding.status.value:<8} {obligation_id}: {text}")
            print(f"         {finding.explanation.rule}")
    print(", ".join(f"{status} {count}" for status, count in sorted(statuses.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
