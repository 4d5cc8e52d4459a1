"""Matching with the real model: catalog caching, specificity, counterexamples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from paths import PROJECT_ROOT

from gapcheck.assess import assess
from gapcheck.catalog import load_catalog
from gapcheck.catalog_selection import CatalogSelection, resolve_catalogs
from gapcheck.embedding_cache import EmbeddingCache
from gapcheck.matching import CatalogIndex, embed_clauses, rank_clauses, score_table
from gapcheck.model import Clause, Finding, Status
from gapcheck.settings import BUNDLED_CATALOG_DIR, MatchSettings, load_match_settings

pytestmark = pytest.mark.model


class CountingEncoder:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)  # type: ignore[no-any-return]


def _clause(text: str, section: str, lead_in: str = "") -> Clause:
    return Clause("terms.md", section, ("Terms",), text, 0, len(text), None, lead_in)


def _index(loaded_model, tmp_path: Path, *vendors: str) -> CatalogIndex:  # type: ignore[no-untyped-def]
    catalogs = resolve_catalogs(BUNDLED_CATALOG_DIR, CatalogSelection(vendors=vendors))
    return CatalogIndex.build(catalogs, loaded_model, EmbeddingCache(tmp_path))


def _finding(  # type: ignore[no-untyped-def]
    loaded_model,
    index: CatalogIndex,
    obligation_id: str,
    clauses: list[Clause],
    settings: MatchSettings,
) -> Finding:
    """The finding for one obligation over ``clauses``, as the pipeline would assess it."""
    vectors = embed_clauses(clauses, loaded_model)
    similarities = vectors @ index.vectors.T
    table = score_table(index, similarities, clauses)
    column = next(i for i, e in enumerate(index.entries) if e.obligation.id == obligation_id)
    matches = rank_clauses(column, index, clauses, similarities, table, 20)
    return assess(index.entries[column], matches, settings)


def test_second_build_reads_the_catalog_from_the_disk_cache(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalogs = resolve_catalogs(BUNDLED_CATALOG_DIR, CatalogSelection(vendors=("openai",)))
    counting = CountingEncoder(loaded_model.encoder)
    model = replace(loaded_model, encoder=counting)
    first = CatalogIndex.build(catalogs, model, EmbeddingCache(tmp_path))
    encoded_first = counting.texts
    second = CatalogIndex.build(catalogs, model, EmbeddingCache(tmp_path))
    assert encoded_first == len(first.texts) > 100
    assert counting.texts == encoded_first  # nothing re-encoded
    assert np.allclose(first.vectors, second.vectors)


def test_catch_all_is_partial_and_specific_clause_is_covered(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = _index(loaded_model, tmp_path, "openai")

    def status_of(clauses: list[Clause]) -> Status:
        return _finding(
            loaded_model, index, "OPENAI-POLITICAL-ELECTIONS", clauses, MatchSettings()
        ).status

    lead = "You may not use the Service to:"
    catch_all = _clause("use the Service for any unlawful purpose.", "5(a)", lead)
    specific = _clause(
        "create content for political campaigns, lobbying or to influence elections.", "5(b)", lead
    )
    unrelated = _clause("Invoices are payable within thirty days.", "9")
    assert status_of([catch_all, unrelated]) is not Status.COVERED
    assert status_of([catch_all, specific, unrelated]) is Status.COVERED
    assert status_of([unrelated]) is Status.MISSING


def test_conflicts_elements_and_age_with_the_real_model(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = _index(loaded_model, tmp_path, "openai", "anthropic")

    def finding(obligation_id: str, texts: list[str]) -> Finding:
        clauses = [_clause(text, str(i + 1)) for i, text in enumerate(texts)]
        return _finding(loaded_model, index, obligation_id, clauses, MatchSettings())

    thirteen = "You must be at least 13 years old to use the Service."
    assert finding("OPENAI-MIN-AGE", [thirteen]).status is not Status.CONFLICT
    adults = finding("ANTHROPIC-MIN-AGE-18", [thirteen])
    assert adults.status is Status.CONFLICT
    assert "minimum age of 13 where 18 is required" in adults.explanation.rule
    training = finding(
        "OPENAI-COMPETING-MODELS",
        ["You may use outputs for any purpose, including to train your own AI models."],
    )
    assert training.status is Status.CONFLICT
    half = finding("OPENAI-MIN-AGE", ["You must be at least 13 years old to create an account."])
    assert half.status is Status.PARTIAL
    missing = [e.name for e in half.elements if not e.present]
    assert missing and "missing:" in half.explanation.rule


def test_calibrated_settings_keep_catch_alls_partial(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The bundled coverage model still lets a specific clause, not a catch-all, cover."""
    index = _index(loaded_model, tmp_path, "openai")
    settings = load_match_settings()
    assert settings.coverage_model is not None

    def finding(clauses: list[Clause]) -> Finding:
        return _finding(loaded_model, index, "OPENAI-POLITICAL-ELECTIONS", clauses, settings)

    lead = "You may not use the Service to:"
    catch_all = _clause("use the Service for any unlawful purpose.", "5(a)", lead)
    specific = _clause(
        "engage in political campaigning or lobbying, or interfere with elections or voting.",
        "5(b)",
        lead,
    )
    unrelated = _clause("Invoices are payable within thirty days.", "9")
    generic = finding([catch_all, unrelated])
    assert generic.status is Status.PARTIAL
    covered = finding([catch_all, specific, unrelated])
    assert covered.status is Status.COVERED, covered.explanation.rule
    assert covered.evidence[0].section == "5(b)"
    assert any("P(covered)" in note for note in covered.explanation.notes)


def test_conflict_cue_makes_a_broad_definition_a_conflict(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The ContractNLI benchmark catalog (in the project) rules out business information in a
    # technical-only definition; its cue says so where similarity cannot.
    catalog = load_catalog(PROJECT_ROOT / "benchmarks" / "data" / "contractnli_catalog.yaml")
    index = CatalogIndex.build([catalog], loaded_model, EmbeddingCache(tmp_path))
    settings = MatchSettings(conflict_cue_floor=0.6)

    def finding(text: str) -> Finding:
        return _finding(loaded_model, index, "NDA-2", [_clause(text, "1")], settings)

    broad = finding(
        '"Confidential Information" means all technical and business information disclosed by '
        "the Discloser, including customer lists, pricing and financial statements."
    )
    assert broad.status is Status.CONFLICT
    assert "non-technical information included" in broad.explanation.rule
    assert broad.explanation.thresholds["conflict_cue"] == 0.6
    narrow = finding(
        '"Confidential Information" is limited to the drawings, specifications and test data '
        "of the Device; business and financial information is excluded from this Agreement."
    )
    assert narrow.status is not Status.CONFLICT


def test_a_list_item_naming_a_required_part_stays_a_candidate(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Candidates are the most on-topic clauses, then clauses naming a required element.

    The list item that bans viruses can rank below looser clauses on the subject; cut at
    the candidate limit, the element it names would be reported missing.
    """
    index = _index(loaded_model, tmp_path, "openai")
    column = next(
        i for i, e in enumerate(index.entries) if e.obligation.id == "OPENAI-MALICIOUS-CYBER-IP"
    )
    lead = "When using the Services you must not:"
    clauses = [
        _clause("infringe the intellectual property rights of any person.", "4.1", lead),
        _clause("interfere with or disrupt the integrity of the Services.", "4.2", lead),
        _clause("circumvent any access controls or use limits of the Services.", "4.3", lead),
        _clause("use the Services in any way that harms other users.", "4.4", lead),
        _clause("post anything that contains software viruses or worms.", "4.5", lead),
        _clause("Invoices are payable within thirty days.", "9"),
    ]
    vectors = embed_clauses(clauses, loaded_model)
    similarities = vectors @ index.vectors.T
    table = score_table(index, similarities, clauses)

    def sections(limit: int) -> list[str]:
        matches = rank_clauses(column, index, clauses, similarities, table, limit)
        return [m.clause.section for m in matches]

    everything = sections(len(clauses))
    rank = everything.index("4.5")
    assert rank >= 1, f"precondition: the virus item should not rank first ({everything})"
    naming_a_part = {"4.1", "4.5"}  # "infringe", "viruses"
    recalled = [s for s in everything[rank:] if s in naming_a_part]
    assert sections(rank) == [*everything[:rank], *recalled]  # after the most on-topic
    assert "9" not in sections(rank)
    matches = rank_clauses(column, index, clauses, similarities, table, rank)
    finding = assess(index.entries[column], matches, replace(MatchSettings(), element_floor=0.0))
    present = {e.name: e.present for e in finding.elements}
    assert present["malicious cyber activity and unauthorised access"], finding.explanation.rule


def test_an_age_clause_supports_despite_a_counterexample(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # "Old enough to form a binding contract" is a counterexample (it names no age); the
    # clause below mentions a binding contract too, but it sets the age outright.
    index = _index(loaded_model, tmp_path, "openai")
    adults = _clause(
        "You may use the Services only if you are 18 years or older and capable of forming "
        "a binding contract with us, and not otherwise barred from using the Services.",
        "2",
    )
    column = next(i for i, e in enumerate(index.entries) if e.obligation.id == "OPENAI-MIN-AGE")
    vectors = embed_clauses([adults], loaded_model)
    similarities = vectors @ index.vectors.T
    table = score_table(index, similarities, [adults])
    (match,) = rank_clauses(column, index, [adults], similarities, table, 20)
    assert match.counterexample_score > match.score  # the resemblance the rule overrides
    finding = _finding(loaded_model, index, "OPENAI-MIN-AGE", [adults], load_match_settings())
    assert all(e.present for e in finding.elements), finding.explanation.rule
    assert finding.status is Status.COVERED, finding.explanation.rule


def test_the_explanation_quotes_an_exception_in_the_deciding_clause(
    loaded_model, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A lawyer must see at once that a covering clause carries an exception."""
    index = _index(loaded_model, tmp_path, "openai")
    settings = load_match_settings()
    ban = "You may not use output from the Service to develop AI models that compete with us"

    def finding(text: str) -> Finding:
        return _finding(
            loaded_model, index, "OPENAI-COMPETING-MODELS", [_clause(text, "7")], settings
        )

    qualified = finding(f"{ban}, except with our prior written consent.")
    assert qualified.status is Status.COVERED, qualified.explanation.rule
    assert any(
        'exception: "except with our prior written consent"' in note
        for note in qualified.explanation.notes
    )
    plain = finding(f"{ban}.")
    assert plain.status is Status.COVERED, plain.explanation.rule
    assert not any("is qualified" in note for note in plain.explanation.notes)


def test_a_missing_finding_says_when_a_close_clause_was_set_aside(
    loaded_model, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Missing because the close clause resembles a counterexample, not because none is close."""
    index = _index(loaded_model, tmp_path, "openai")
    settings = load_match_settings()
    near_miss = _clause(
        "We will not train our machine learning models on your content unless you opt in.", "4"
    )
    finding = _finding(loaded_model, index, "OPENAI-COMPETING-MODELS", [near_miss], settings)
    assert finding.status is Status.MISSING
    assert "terms.md §4" in finding.explanation.rule
    assert "counterexamples" in finding.explanation.rule
    assert not any("closely enough" in note for note in finding.explanation.notes)
    unrelated = _clause("Invoices are payable within thirty days of receipt.", "9")
    far = _finding(loaded_model, index, "OPENAI-COMPETING-MODELS", [unrelated], settings)
    assert far.status is Status.MISSING
    assert far.explanation.rule == "no clause reaches the partial threshold"


PERMISSIONS_OF_BANNED_CONDUCT = [
    ("OPENAI-COMPETING-MODELS", "You may use Outputs to develop models that compete with OpenAI."),
    (
        "OPENAI-ACCOUNT-RESPONSIBILITY",
        "You may share your account credentials with anyone you like.",
    ),
    (
        "OPENAI-REVERSE-ENGINEERING-SCRAPING",
        "You may reverse engineer the Service and scrape its content with automated tools.",
    ),
]
"""Each had been credited by the ban it contradicts: as covering it (the first two) or as
naming its parts ("you may share your credentials" holds the cue of a ban on sharing)."""


@pytest.mark.parametrize(("obligation_id", "text"), PERMISSIONS_OF_BANNED_CONDUCT)
def test_a_permission_of_banned_conduct_is_set_aside_and_named(  # type: ignore[no-untyped-def]
    loaded_model, tmp_path: Path, obligation_id: str, text: str
) -> None:
    index = _index(loaded_model, tmp_path, "openai")
    permission = _clause(text, "3")
    finding = _finding(loaded_model, index, obligation_id, [permission], load_match_settings())
    # Too loose for a stance conflict (those need 0.8), but it must not count as support,
    # name no part of the ban, and the finding must point the reader at it.
    assert finding.status is Status.MISSING, finding.explanation.rule
    assert "§3" in finding.explanation.rule
    assert "permits what the obligation forbids" in finding.explanation.rule
    assert not any(check.present for check in finding.elements)
    assert finding.evidence and finding.evidence[0].text == text


def test_a_ban_names_its_parts(loaded_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = _index(loaded_model, tmp_path, "openai")
    ban = _clause("You may not share your account credentials with anyone.", "3")
    settings = load_match_settings()
    finding = _finding(loaded_model, index, "OPENAI-ACCOUNT-RESPONSIBILITY", [ban], settings)
    assert any(check.present for check in finding.elements)


def test_only_bans_set_aside_clauses_of_the_other_stance(  # type: ignore[no-untyped-def]
    loaded_model, tmp_path: Path
) -> None:
    """A permission is often granted as an exception to a ban, so bans are not set aside."""
    catalog = load_catalog(PROJECT_ROOT / "benchmarks" / "data" / "contractnli_catalog.yaml")
    nda_index = CatalogIndex.build([catalog], loaded_model, EmbeddingCache(tmp_path / "nda"))
    settings = load_match_settings()
    refusal = _clause(
        "The Receiving Party shall not retain any copies of Confidential Information after "
        "termination.",
        "7",
    )
    finding = _finding(loaded_model, nda_index, "NDA-20", [refusal], settings)
    assert "what the obligation" not in finding.explanation.rule, finding.explanation.rule
    index = _index(loaded_model, tmp_path / "openai", "openai")
    carve_out = _clause(
        "You may use Outputs for any purpose, except to develop models that compete with OpenAI.",
        "5",
    )
    finding = _finding(loaded_model, index, "OPENAI-COMPETING-MODELS", [carve_out], settings)
    assert "permits what the obligation forbids" not in finding.explanation.rule
    assert finding.status is not Status.MISSING, finding.explanation.rule
