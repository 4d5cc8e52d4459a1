"""The learned covered-or-gap decision: stored form, fitting, and the rules around it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from gapcheck.assess import cited_clauses, confidence_for, decide
from gapcheck.catalog import parse_catalog
from gapcheck.coverage_model import FEATURES, CoverageModel, CoverageSignals, coverage_signals
from gapcheck.evaluation.calibration import fit_logistic
from gapcheck.matching import ClauseMatch, ObligationEntry
from gapcheck.modality import Modality
from gapcheck.model import Clause, DocumentKind, ElementCheck, Status
from gapcheck.settings import CALIBRATION_FILE, MatchSettings, load_match_settings


def _model(weights: dict[str, float], bias: float = 0.0, threshold: float = 0.5) -> CoverageModel:
    zeros = tuple(0.0 for _ in FEATURES)
    return CoverageModel(
        weights=tuple(weights.get(name, 0.0) for name in FEATURES),
        bias=bias,
        means=zeros,
        scales=tuple(1.0 for _ in FEATURES),
        threshold=threshold,
    )


def test_stored_model_round_trips_and_bad_ones_are_refused() -> None:
    model = _model({"element_share": 2.0, "similarity": 1.5}, bias=-1.0, threshold=0.6)
    assert CoverageModel.from_dict(json.loads(json.dumps(model.as_dict()))) == model
    data = model.as_dict()
    with pytest.raises(ValueError, match="features do not match"):
        CoverageModel.from_dict({**data, "features": ["similarity"]})
    with pytest.raises(ValueError, match="one weight"):
        CoverageModel.from_dict({**data, "weights": [1.0]})
    with pytest.raises(ValueError, match="scales must be positive"):
        CoverageModel.from_dict({**data, "scales": [0.0] * len(FEATURES)})
    with pytest.raises(ValueError, match="threshold"):
        CoverageModel.from_dict({**data, "threshold": 1.5})
    with pytest.raises(ValueError, match="obligation_offsets"):
        CoverageModel.from_dict({**data, "obligation_offsets": {"X": "a lot"}})


def test_an_obligation_offset_shifts_only_its_own_obligation() -> None:
    base = _model({"similarity": 1.0}, bias=0.0)
    model = replace(base, obligation_offsets={"NDA-4": 2.0})
    assert CoverageModel.from_dict(json.loads(json.dumps(model.as_dict()))) == model
    values = tuple(0.0 for _ in FEATURES)
    own, other = CoverageSignals(values, "NDA-4"), CoverageSignals(values, "NDA-11")
    assert model.probability(own) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert model.probability(other) == pytest.approx(0.5)
    assert model.contributions(own)["obligation_prior"] == pytest.approx(2.0)
    assert "obligation_prior" not in model.contributions(other)


def test_probability_rises_with_a_positively_weighted_signal() -> None:
    model = _model({"element_share": 3.0}, bias=-1.5)
    low = CoverageSignals(tuple(0.0 for _ in FEATURES))
    values = [0.0] * len(FEATURES)
    values[FEATURES.index("element_share")] = 1.0
    high = CoverageSignals(tuple(values))
    assert model.probability(low) == pytest.approx(1 / (1 + np.exp(1.5)))
    assert model.probability(high) == pytest.approx(1 / (1 + np.exp(-1.5)))
    assert model.contributions(high)["element_share"] == pytest.approx(3.0)


def test_logistic_fit_recovers_the_generating_weights() -> None:
    rng = np.random.default_rng(7)
    features = rng.normal(size=(4000, 3))
    true_weights, true_bias = np.array([2.0, -1.0, 0.0]), 0.5
    chance = 1 / (1 + np.exp(-(features @ true_weights + true_bias)))
    labels = (rng.random(4000) < chance).astype(float)
    weights, bias = fit_logistic(features, labels, l2=1e-3)
    assert weights == pytest.approx(true_weights, abs=0.2)
    assert bias == pytest.approx(true_bias, abs=0.2)
    shrunk, _ = fit_logistic(features, labels, l2=1e4)
    assert np.abs(shrunk).max() < 0.5 * np.abs(weights).max()


def _entry(with_elements: bool, category: str = "prohibited-use") -> ObligationEntry:
    """A scraping obligation; its elements (when listed) have cues "scrape"/"crawl" and
    "reverse engineer"."""
    obligation = {
        "id": "T-SCRAPE",
        "title": "No scraping",
        "requirement": "Users must not scrape or reverse engineer the service.",
        "category": category,
        "severity": "high",
        "source": {"id": "aup", "section": "1"},
        "severity_reason": "Test.",
        "examples": [
            "You may not scrape the Service.",
            "You must not reverse engineer the Service.",
            "Do not crawl or scrape the Service.",
        ],
        "counterexamples": ["We may scrape public websites."],
        "remediation": {"actions": ["Add a ban."], "model_clause": "No scraping."},
    }
    if with_elements:
        obligation["elements"] = [
            {"name": "scraping", "cues": ["scrape", "crawl"]},
            {"name": "reverse engineering", "cues": ["reverse engineer"]},
        ]
    data = {
        "id": "test",
        "vendor": "Test",
        "title": "Test catalog",
        "policy_versions": ["2025-01-01"],
        "sources": [
            {"id": "aup", "title": "AUP", "url": "https://example.com", "effective": "2025-01-01"}
        ],
        "obligations": [obligation],
    }
    catalog = parse_catalog(data, Path("test.yaml"))
    return ObligationEntry(catalog.obligations[0], catalog, 0, (1, 2, 3), (4,))


def _match(text: str, score: float, specificity: float = 0.3) -> ClauseMatch:
    clause = Clause("terms.md", "1", (), text, 0, len(text))
    return ClauseMatch(
        clause=clause,
        score=score,
        specificity=specificity,
        best_text="You may not scrape the Service.",
        counterexample_score=0.1,
        modality=Modality.PROHIBIT,
    )


def test_model_decides_but_missing_elements_and_catch_alls_stay_partial() -> None:
    settings = MatchSettings(
        partial_threshold=0.3,
        element_floor=0.3,
        specificity_floor=0.1,
        coverage_model=_model({"similarity": 4.0}, bias=-2.0, threshold=0.5),
    )
    entry = _entry(with_elements=True)
    both = [_match("You may not scrape, crawl or reverse engineer the Service.", 0.8)]
    verdict = decide(entry, both, settings)
    assert verdict.status is Status.COVERED
    assert verdict.probability == pytest.approx(1 / (1 + np.exp(-(4.0 * 0.8 - 2.0))))
    assert "coverage model" in verdict.rule and "P(covered)" in verdict.notes[0]
    assert confidence_for(verdict, settings) == pytest.approx(verdict.probability, abs=1e-3)

    one = [_match("You may not scrape or crawl the Service.", 0.8)]
    partial = decide(entry, one, settings)
    assert partial.status is Status.PARTIAL
    assert "missing: reverse engineering" in partial.rule

    catch_all = [_match("You may not misuse the Service in any way.", 0.8, specificity=0.0)]
    generic = decide(_entry(with_elements=False), catch_all, settings)
    assert generic.status is Status.PARTIAL and "generic" in generic.rule

    weak = [_match("You may not scrape, crawl or reverse engineer the Service.", 0.4)]
    below = decide(entry, weak, settings)
    assert below.status is Status.PARTIAL and "below 0.50" in below.rule
    assert confidence_for(below, settings) == pytest.approx(1 - below.probability, abs=1e-3)

    stray_heading = [_match("External scraping", 0.9)]
    assert decide(entry, stray_heading, settings).status is Status.MISSING


def test_a_prior_cannot_cover_an_obligation_whose_best_clause_is_below_threshold() -> None:
    model = _model({"similarity": 1.0}, bias=0.0, threshold=0.5)
    entry = _entry(with_elements=False)
    favoured = replace(model, obligation_offsets={entry.obligation.id: 6.0})
    settings = MatchSettings(
        partial_threshold=0.3,
        covered_threshold=0.6,
        statement_floor=0.6,
        specificity_floor=0.1,
        coverage_model=favoured,
    )
    close = decide(entry, [_match("You may not scrape the Service.", 0.7)], settings)
    assert close.status is Status.COVERED
    weak = decide(entry, [_match("Do not misuse our website.", 0.5)], settings)
    assert weak.probability is not None and weak.probability > 0.9  # the prior says covered
    assert weak.status is Status.PARTIAL
    assert "no clause states the requirement closely enough" in weak.rule


def test_signals_count_elements_and_breadth() -> None:
    best = _match("You may not scrape the Service.", 0.7)
    others = [best, _match("Do not crawl.", 0.65), _match("Pay invoices on time.", 0.2)]
    elements = (
        ElementCheck("scraping", True, "scrape", "terms.md §1"),
        ElementCheck("reverse engineering", False),
    )
    signals = coverage_signals(best, others, elements, covered_threshold=0.6).as_dict()
    assert signals["element_share"] == 0.5
    assert signals["support_breadth"] == pytest.approx(2 / 3, abs=1e-4)
    assert signals["similarity"] == 0.7
    # Without listed elements the requirement as a whole is the one element.
    assert coverage_signals(best, others, (), 0.6).as_dict()["element_share"] == 1.0
    assert coverage_signals(best, others, (), 0.75).as_dict()["element_share"] == 0.0


def test_bundled_calibration_carries_a_coverage_model() -> None:
    settings = load_match_settings(CALIBRATION_FILE)
    assert settings.coverage_model is not None
    assert 0.0 < settings.coverage_model.threshold < 1.0
    assert settings.as_dict()["coverage_model_threshold"] == settings.coverage_model.threshold
    # Refitting reads the thresholds alone, whatever model the file holds.
    assert load_match_settings(CALIBRATION_FILE, include_model=False).coverage_model is None


def test_monotone_columns_never_get_a_negative_weight() -> None:
    rng = np.random.default_rng(3)
    signal = rng.normal(size=2000)
    twin = signal + 0.05 * rng.normal(size=2000)  # collinear: a free fit may split them +/-
    features = np.column_stack([signal, twin, rng.normal(size=2000)])
    labels = (rng.random(2000) < 1 / (1 + np.exp(-(3 * signal - 2 * features[:, 2])))).astype(float)
    free, _ = fit_logistic(features, labels, l2=1e-3)
    constrained, _ = fit_logistic(features, labels, l2=1e-3, nonnegative=(0, 1, 2))
    assert free[2] < 0  # the third column really pushes away from coverage
    assert (constrained >= 0).all() and constrained[2] == 0.0
    assert constrained[0] + constrained[1] > 1.5


def _cited_first(
    entry: ObligationEntry, matches: list[ClauseMatch], settings: MatchSettings
) -> str:
    verdict = decide(entry, matches, settings)
    return cited_clauses(entry, verdict, matches, settings)[0].clause.text


def test_a_gap_quotes_the_terms_before_a_privacy_notice_when_the_notice_cannot_satisfy() -> None:
    notice = replace(
        _match("We never scrape or crawl the websites of our users.", 0.5),
        clause=replace(
            Clause(
                "privacy.md", "4", (), "We never scrape or crawl the websites of our users.", 0, 0
            ),
            kind=DocumentKind.PRIVACY_NOTICE,
        ),
    )
    terms = _match("Do not misuse the Service.", 0.45)
    entry = _entry(with_elements=False)  # a prohibited use: a notice binds no user
    plain = MatchSettings(partial_threshold=0.3, covered_threshold=0.6)
    assert _cited_first(entry, [notice, terms], plain) == notice.clause.text
    weighed = replace(plain, citation_notice_penalty=0.1)
    assert _cited_first(entry, [notice, terms], weighed) == terms.clause.text
    told = _entry(with_elements=False, category="disclosure")
    assert _cited_first(told, [notice, terms], weighed) == notice.clause.text


def test_a_covered_finding_quotes_the_best_worded_decider_and_still_the_deciding_clause() -> None:
    entry = _entry(with_elements=False)
    deciding = _match("Automated access to the Service by bots is not allowed.", 0.75)
    worded = replace(_match("You may not scrape the Service.", 0.70), lexical=0.5)
    weak = replace(_match("Do not scrape.", 0.35), lexical=0.9)
    settings = MatchSettings(
        partial_threshold=0.3,
        covered_threshold=0.6,
        statement_floor=0.6,
        specificity_floor=0.1,
        citation_lexical_weight=0.5,
    )
    verdict = decide(entry, [deciding, worded, weak], settings)
    assert verdict.status is Status.COVERED and verdict.deciding is deciding
    cited = cited_clauses(entry, verdict, [deciding, worded, weak], settings)
    # The weak clause uses the words but could not have decided: it never leads.
    assert [m.clause.text for m in cited[:2]] == [worded.clause.text, deciding.clause.text]


def test_a_privacy_notice_never_covers_a_prohibition_but_can_cover_what_users_are_told() -> None:
    text = "We do not scrape or reverse engineer any service."
    notice = replace(
        _match(text, 0.8),
        clause=replace(Clause("privacy.md", "2", (), text, 0, 0), kind=DocumentKind.PRIVACY_NOTICE),
    )
    model = _model({"similarity": 1.0}, bias=2.0, threshold=0.5)
    settings = MatchSettings(
        partial_threshold=0.3, covered_threshold=0.6, statement_floor=0.6, coverage_model=model
    )
    banned = decide(_entry(with_elements=False), [notice], settings)
    assert banned.status is Status.PARTIAL and "privacy notice" in banned.rule
    told = decide(_entry(with_elements=False, category="disclosure"), [notice], settings)
    assert told.status is Status.COVERED
    as_terms = decide(_entry(with_elements=False), [_match(text, 0.8)], settings)
    assert as_terms.status is Status.COVERED


def test_naming_no_required_part_is_missing_except_for_a_prohibited_use() -> None:
    settings = MatchSettings(partial_threshold=0.3, covered_threshold=0.6, element_floor=0.3)
    unrelated = [_match("You must comply with all applicable laws.", 0.5)]
    duty = decide(_entry(with_elements=True, category="model-protection"), unrelated, settings)
    assert duty.status is Status.MISSING
    assert "names any of the 2 required elements" in duty.rule
    banned = decide(_entry(with_elements=True), unrelated, settings)
    assert banned.status is Status.PARTIAL  # a general ban reaches a prohibited use in part
    close = [_match("You must comply with all applicable laws.", 0.7)]
    near = decide(_entry(with_elements=True, category="model-protection"), close, settings)
    assert near.status is Status.PARTIAL  # close enough to cover: its words differ, not its topic


def test_a_privacy_notice_cannot_contradict_what_it_cannot_satisfy() -> None:
    text = "You may scrape and crawl any part of the Service for your research."
    permits = replace(_match(text, 0.8), modality=Modality.PERMIT)
    in_notice = replace(
        permits,
        clause=replace(permits.clause, document="privacy.md", kind=DocumentKind.PRIVACY_NOTICE),
    )
    settings = MatchSettings(partial_threshold=0.3, conflict_threshold=0.5)
    entry = replace(_entry(with_elements=False), expected_modality=Modality.PROHIBIT)
    assert decide(entry, [permits], settings).status is Status.CONFLICT
    assert decide(entry, [in_notice], settings).status is not Status.CONFLICT
    # Where a notice can satisfy the obligation (what users are told), it can contradict it.
    told = replace(
        _entry(with_elements=False, category="disclosure"), expected_modality=Modality.PROHIBIT
    )
    assert decide(told, [in_notice], settings).status is Status.CONFLICT
