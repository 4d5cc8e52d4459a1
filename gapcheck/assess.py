"""Deciding an obligation's status from its best-matching clauses, and saying why.

This is the only place thresholds turn scores into verdicts, so every finding carries
the rule that fired and the figures it compared (see :class:`gapcheck.model.Explanation`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gapcheck.ages import admitted_age
from gapcheck.catalog import CATCH_ALL_CATEGORIES, NOTICE_CATEGORIES
from gapcheck.coverage_model import CoverageModel, CoverageSignals, coverage_signals
from gapcheck.elements import find_conflict_cue, find_cue
from gapcheck.matching import ClauseMatch, ObligationEntry
from gapcheck.modality import Modality
from gapcheck.model import (
    Citation,
    Clause,
    DocumentKind,
    ElementCheck,
    Evidence,
    Explanation,
    Finding,
    Regulation,
    Remediation,
    Status,
)
from gapcheck.qualifiers import QualifierKind, find_qualifiers
from gapcheck.qualifiers import describe as describe_qualifiers
from gapcheck.settings import MatchSettings


@dataclass(frozen=True)
class Verdict:
    """A status, the rule that decided it, and what the decision looked at."""

    status: Status
    rule: str
    deciding: ClauseMatch | None
    threshold: float
    elements: tuple[ElementCheck, ...] = ()
    notes: tuple[str, ...] = ()
    probability: float | None = None
    """P(covered) from the coverage model, when it made the covered-or-gap call."""


def strength(match: ClauseMatch, settings: MatchSettings) -> float:
    """How strongly a clause supports the obligation.

    Similarity, plus weighted key terms and the share of required elements the clause
    names: of two equally close clauses, the one using the obligation's words and
    naming its parts is the better evidence.
    """
    return (
        match.score
        + settings.lexical_weight * match.lexical
        + settings.element_weight * match.cue_share
    )


def binds(entry: ObligationEntry, match: ClauseMatch) -> bool:
    """Whether the clause can satisfy the obligation given the document it sits in.

    A privacy notice can tell users things (who processes their data, that AI is used),
    so it can satisfy an obligation about what users are told. It binds no user to a
    rule, so it never satisfies a prohibition, a user duty or an eligibility term: for
    those it names the topic at most, and the finding stays a gap.
    """
    return (
        match.clause.kind is not DocumentKind.PRIVACY_NOTICE
        or entry.obligation.category in NOTICE_CATEGORIES
    )


def _supports(entry: ObligationEntry, match: ClauseMatch, settings: MatchSettings) -> bool:
    """A clause supports the obligation unless it is closer to a counterexample.

    A fragment of fewer than ``min_evidence_words`` words (a stray heading such as
    "External training") states no rule, so it supports nothing. A clause that sets the
    required age supports whatever it resembles (:func:`_sets_required_age`). A clause
    that takes the opposite stance supports nothing either (:func:`_takes_other_side`):
    "You may use Outputs to develop models that compete with OpenAI" resembles a ban on
    doing so, and had been credited as covering it.
    """
    if not _long_enough(match, settings):
        return False
    if _sets_required_age(entry, match):
        return True
    if _takes_other_side(entry, match):
        return False
    closest_other = max(match.counterexample_score, match.contradiction_score)
    return closest_other <= match.score + settings.counterexample_margin


def _takes_other_side(entry: ObligationEntry, match: ClauseMatch) -> bool:
    """Whether the clause permits what the obligation requires the terms to forbid.

    Only bans are guarded. A clause that permits the banned conduct cannot state the
    ban, however alike the words. The reverse does not hold: contracts grant
    permissions as exceptions to prohibitions ("shall not retain copies, except ..."),
    and the stance reader does not always see the exception, so a prohibitive clause is
    never set aside from a permission. A permission with an exception ("for any purpose
    except to train competing models") states a ban, so it is not set aside either.
    (On the tuning splits, before refitting: no operator verdict moved, and two NDA
    verdicts went from partial to missing, as gold has them.)
    """
    if entry.expected_modality is not Modality.PROHIBIT or match.modality is not Modality.PERMIT:
        return False
    qualifiers = find_qualifiers(match.clause.match_text)
    return not any(q.kind is QualifierKind.EXCEPTION for q in qualifiers)


def _sets_required_age(entry: ObligationEntry, match: ClauseMatch) -> bool:
    """Whether the clause sets the obligation's minimum age, or a higher one.

    Such a clause states the requirement outright. The counterexamples of an age
    obligation are clauses naming no age ("old enough to form a binding contract"), and
    "18 years or older and capable of forming a binding contract" resembles them, so
    resemblance must not overrule the age the clause sets. Only an expressly admitted
    floor ("18 or older") counts: "children under 13 may use the Service" names 13 too.
    """
    required = entry.obligation.minimum_age
    if required is None:
        return False
    admitted = admitted_age(match.clause.match_text)
    return admitted is not None and admitted >= required


def _contradicts(match: ClauseMatch, entry: ObligationEntry, settings: MatchSettings) -> bool:
    """On topic, and either against the obligation's stance or like a contradiction."""
    if match.topical < settings.conflict_threshold:
        return False
    if entry.expected_modality.opposes(match.modality):
        return True
    return match.contradiction_score > match.score + settings.counterexample_margin


def _age_conflict(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> tuple[ClauseMatch, int] | None:
    """The on-topic clause admitting the youngest users, if younger than required.

    The lowest admitted age decides: a general "13 and over" clause is not cured by a
    business-tier "18 or older" clause elsewhere, because the terms still admit
    13-year-olds to the general service.
    """
    required = entry.obligation.minimum_age
    if required is None:
        return None
    admitted = [
        (m, age)
        for m in matches
        if m.topical >= settings.partial_threshold
        and (age := admitted_age(m.clause.match_text)) is not None
    ]
    if not admitted:
        return None
    youngest = min(admitted, key=lambda pair: pair[1])
    return youngest if youngest[1] < required else None


def _cued_conflict(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> tuple[ClauseMatch, str, str] | None:
    """The most on-topic clause naming a position the obligation rules out, if any.

    Returns the clause, the conflict cue's name and the cue phrase found. Similarity
    cannot tell "technical information" from "technical and business information"; a
    cue the catalog lists for the ruled-out position can.
    """
    cue_sets = entry.obligation.conflict_cues
    if not cue_sets:
        return None
    for match in sorted(matches, key=lambda m: -m.topical):
        if match.topical < settings.conflict_cue_floor:
            break
        for cue_set in cue_sets:
            if cue := find_conflict_cue(cue_set, match.clause.match_text):
                return match, cue_set.name, cue
    return None


def check_elements(
    entry: ObligationEntry, supporting: Sequence[ClauseMatch], settings: MatchSettings
) -> tuple[ElementCheck, ...]:
    """Which required parts appear in the on-topic supporting clauses, and where.

    A clause that takes the opposite stance names no part of the obligation: "you may
    share your account credentials" contains the cue of a ban on sharing them, and
    counting it would report the ban as present. (On both tuning splits no verdict
    changes; it only stops such misreadings.)
    """
    topical = [
        m
        for m in supporting
        if m.score >= settings.element_floor and not entry.expected_modality.opposes(m.modality)
    ]
    checks = []
    for element in entry.obligation.elements:
        found = next(
            (
                (m, cue)
                for m in topical
                if (cue := find_cue(element, f"{m.clause.heading} {m.clause.match_text}"))
            ),
            None,
        )
        checks.append(
            ElementCheck(
                name=element.name,
                present=found is not None,
                cue=found[1] if found else "",
                section=_where(found[0].clause) if found else "",
            )
        )
    return tuple(checks)


def supporting_clauses(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> list[ClauseMatch]:
    """The candidates that support the obligation (not contradicting it), strongest first."""
    supporting = [
        m for m in matches if _supports(entry, m, settings) and not _contradicts(m, entry, settings)
    ]
    supporting.sort(key=lambda m: -strength(m, settings))
    return supporting


def signals_for(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> CoverageSignals | None:
    """The coverage model's inputs for one obligation (None when nothing supports it).

    The same values :func:`decide` feeds the model, so calibration fits exactly what the
    assessment will use.
    """
    supporting = supporting_clauses(entry, matches, settings)
    if not supporting:
        return None
    elements = check_elements(entry, [m for m in supporting if binds(entry, m)], settings)
    return coverage_signals(
        supporting[0],
        matches[: settings.candidates_per_obligation],
        elements,
        settings.covered_threshold,
        entry.obligation.id,
    )


def decide(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> Verdict:
    """The status the ranked matches earn, with the rule that decided it.

    In order: a clause that sets a lower minimum age, that names a position the
    obligation rules out (a conflict cue), or that takes the opposite stance on the
    obligation's subject (and is not outweighed by a closer supporting clause), is a
    conflict. Otherwise coverage needs a supporting clause that is close, specific
    to this obligation rather than a catch-all, and, together with the other on-topic
    clauses, names every required element; anything less is partial or missing.
    """
    supporting = supporting_clauses(entry, matches, settings)
    best = supporting[0] if supporting else None
    covered = settings.covered_threshold
    best_score = strength(best, settings) if best else 0.0

    # A clause that cannot satisfy the obligation cannot contradict it either: a notice's
    # "we do not knowingly collect data from children under 13" sets no age limit.
    binding_matches = [m for m in matches if binds(entry, m)]
    age = _age_conflict(entry, binding_matches, settings)
    if age is not None:
        match, stated = age
        return Verdict(
            Status.CONFLICT,
            f"sets a minimum age of {stated} where {entry.obligation.minimum_age} is required",
            match,
            settings.partial_threshold,
        )
    cued = _cued_conflict(entry, binding_matches, settings)
    if cued is not None:
        match, position, cue = cued
        return Verdict(
            Status.CONFLICT,
            f'an on-topic clause takes a position the obligation rules out: {position} ("{cue}")',
            match,
            settings.conflict_cue_floor,
        )
    contradicting = [m for m in binding_matches if _contradicts(m, entry, settings)]
    if contradicting:
        worst = max(contradicting, key=lambda m: m.topical)
        outweighed = best is not None and best_score >= covered and (best_score > worst.topical)
        if not outweighed:
            how = (
                f"it {worst.modality.value}s where the obligation's clauses "
                f"{entry.expected_modality.value}"
                if entry.expected_modality.opposes(worst.modality)
                else "it matches a contradicting clause better than any example"
            )
            return Verdict(
                Status.CONFLICT,
                f"an on-topic clause contradicts the obligation: {how}",
                worst,
                settings.conflict_threshold,
            )

    if best is None or best_score < settings.partial_threshold:
        return Verdict(
            Status.MISSING,
            _why_nothing_supports(entry, matches, settings),
            best,
            settings.partial_threshold,
        )
    binding = [m for m in supporting if binds(entry, m)]
    elements = check_elements(entry, binding, settings)
    missing = [check.name for check in elements if not check.present]
    specific = [m for m in binding if m.specificity >= settings.specificity_floor]
    if (
        elements
        and not any(check.present for check in elements)
        and entry.obligation.category not in CATCH_ALL_CATEGORIES
        and best_score < covered
    ):
        # Naming none of the parts is not addressing the obligation: "you must follow
        # applicable laws" resembles a human-review duty without touching it. A prohibited
        # use is different: a general ban ("any harmful content") reaches it in part.
        return Verdict(
            Status.MISSING,
            f"no on-topic clause names any of the {len(elements)} required elements",
            best,
            covered,
            elements,
        )
    if settings.coverage_model is not None:
        signals = coverage_signals(
            best,
            matches[: settings.candidates_per_obligation],
            elements,
            covered,
            entry.obligation.id,
        )
        return _model_verdict(
            settings.coverage_model, signals, best, specific, elements, missing, settings
        )
    if best_score < covered:
        return Verdict(
            Status.PARTIAL,
            "best clause is between the partial and covered thresholds",
            best,
            covered,
        )
    specific = [m for m in specific if strength(m, settings) >= covered]
    if not specific:
        return Verdict(
            Status.PARTIAL,
            "only generic clauses (e.g. a catch-all) reach the covered threshold",
            best,
            settings.specificity_floor,
        )
    if missing:
        return _elements_missing(elements, missing, specific[0], covered)
    return Verdict(
        Status.COVERED,
        "a specific supporting clause reaches the covered threshold"
        + (" and every required element is present" if elements else ""),
        specific[0],
        covered,
        elements,
    )


NOTHING_CLOSE = "no clause reaches the partial threshold"


def _why_nothing_supports(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> str:
    """Why no clause supports the obligation: none is close, or the close ones don't count.

    "You may not train models on Outputs unless we agree" is close to a training ban and
    closer still to its counterexample ("we will not train ... unless you opt in"); a
    lawyer told only that nothing is close would look no further.
    """
    near = [
        m
        for m in matches
        if m.score >= settings.partial_threshold
        and (not _supports(entry, m, settings) or _contradicts(m, entry, settings))
    ]
    if not near:
        return NOTHING_CLOSE
    closest = max(near, key=lambda m: m.score)
    where = _where(closest.clause)
    if not _long_enough(closest, settings):
        return f"the closest text ({where}, {closest.score:.2f}) is a fragment that states no rule"
    if _takes_other_side(entry, closest):
        return (
            f"the closest clause ({where}, {closest.score:.2f}) permits what the obligation "
            "forbids, so it does not count as support: check whether the terms allow what "
            "they must rule out"
        )
    if _supports(entry, closest, settings):
        # It contradicts the obligation, yet raised no conflict: it cannot bind users.
        return (
            f"the closest clause ({where}, {closest.score:.2f}) takes the opposite position "
            "but sits in a privacy notice, which binds no user, so it neither supports nor "
            "contradicts the obligation"
        )
    other = max(closest.counterexample_score, closest.contradiction_score)
    return (
        f"the closest clause ({where}, {closest.score:.2f}) is closer still to one of the "
        f"obligation's counterexamples ({other:.2f}), so it does not count as support"
    )


def _long_enough(match: ClauseMatch, settings: MatchSettings) -> bool:
    return len(match.clause.text.split()) >= settings.min_evidence_words


def _elements_missing(
    elements: Sequence[ElementCheck],
    missing: Sequence[str],
    deciding: ClauseMatch,
    threshold: float,
    probability: float | None = None,
    notes: tuple[str, ...] = (),
) -> Verdict:
    found = len(elements) - len(missing)
    return Verdict(
        Status.PARTIAL,
        f"covers {found} of {len(elements)} required elements; missing: " + ", ".join(missing),
        deciding,
        threshold,
        tuple(elements),
        notes,
        probability,
    )


def _model_verdict(
    model: CoverageModel,
    signals: CoverageSignals,
    best: ClauseMatch,
    specific: Sequence[ClauseMatch],
    elements: Sequence[ElementCheck],
    missing: Sequence[str],
    settings: MatchSettings,
) -> Verdict:
    """Covered or partial as the coverage model weighs the signals, with hard limits.

    The model decides between covered and a gap, but three rules a lawyer relies on stay
    absolute: an obligation with a required element no clause names is never covered,
    nor one without listed elements whose best clause stays below the statement floor
    (the requirement itself is then the missing part), nor one only a catch-all reaches
    (a specific clause beats a catch-all).
    The explanation lists each signal's push towards or away from coverage.
    """
    probability = model.probability(signals)
    pushes = sorted(model.contributions(signals).items(), key=lambda item: -abs(item[1]))
    notes = (
        f"coverage model: P(covered) {probability:.2f}, covered from {model.threshold:.2f}; "
        + ", ".join(f"{name} {push:+.2f}" for name, push in pushes),
    )
    if missing:
        return _elements_missing(elements, missing, best, model.threshold, probability, notes)
    best_strength = strength(best, settings)
    if not elements and best_strength < settings.statement_floor:
        # Without listed parts the requirement itself is the one part: no clause states
        # it closely enough, so no learned weight or prior may call it covered.
        return Verdict(
            Status.PARTIAL,
            "no clause states the requirement closely enough (best "
            f"{best_strength:.2f}, covered from {settings.statement_floor:.2f})",
            best,
            settings.statement_floor,
            (),
            notes,
            probability,
        )
    if not specific:
        return Verdict(
            Status.PARTIAL,
            "only generic clauses (e.g. a catch-all) or a privacy notice address it",
            best,
            settings.specificity_floor,
            tuple(elements),
            notes,
            probability,
        )
    deciding = best if best in specific else specific[0]
    if probability < model.threshold:
        return Verdict(
            Status.PARTIAL,
            f"the coverage model rates coverage {probability:.2f}, below {model.threshold:.2f}",
            deciding,
            model.threshold,
            tuple(elements),
            notes,
            probability,
        )
    return Verdict(
        Status.COVERED,
        f"the coverage model rates coverage {probability:.2f} (covered from "
        f"{model.threshold:.2f}) for a specific supporting clause"
        + (" and every required element is present" if elements else ""),
        deciding,
        model.threshold,
        tuple(elements),
        notes,
        probability,
    )


def _where(clause: Clause) -> str:
    return f"{clause.document} §{clause.section}" if clause.section else clause.document


def decision_margin(verdict: Verdict, settings: MatchSettings) -> float:
    """How far the deciding score lies from the threshold it was compared with."""
    score = verdict.deciding.topical if verdict.deciding else 0.0
    if verdict.status is not Status.CONFLICT and verdict.deciding is not None:
        score = strength(verdict.deciding, settings)
    return abs(score - verdict.threshold)


def confidence_for(verdict: Verdict, settings: MatchSettings) -> float:
    """How likely the verdict is right, from the deciding score's distance to its threshold.

    The mapping is logistic with a slope and offset fitted on labelled data (see
    ``benchmarks/calibrate.py``), so "80%" means about four in five such verdicts were
    right on the tuning set; the harness's reliability table checks it on held-out data.
    """
    if verdict.probability is not None:
        # The coverage model's probability is fitted to the labels: it is the confidence.
        chance = (
            verdict.probability if verdict.status is Status.COVERED else 1 - verdict.probability
        )
        return round(chance, 3)
    margin = decision_margin(verdict, settings)
    status_offset = float(getattr(settings, f"confidence_offset_{verdict.status.value}", 0.0))
    value = settings.confidence_slope * margin + settings.confidence_offset + status_offset
    return round(1.0 / (1.0 + math.exp(-value)), 3)


def citation_strength(match: ClauseMatch, settings: MatchSettings, binding: bool) -> float:
    """How well a clause serves as the quote a lawyer reads first.

    Not the same weighing as :func:`strength`, which decides support: a quote is good
    when it uses the obligation's words and names its parts, so the lawyer sees at once
    where the obligation is addressed; and a clause that cannot bind (see :func:`binds`)
    is in the wrong document to amend. The weights are fitted for evidence precision on
    labelled data.
    """
    penalty = 0.0 if binding else settings.citation_notice_penalty
    return (
        match.score
        + settings.citation_lexical_weight * match.lexical
        + settings.citation_element_weight * match.cue_share
        - penalty
    )


def cited_clauses(
    entry: ObligationEntry,
    verdict: Verdict,
    matches: Sequence[ClauseMatch],
    settings: MatchSettings,
) -> list[ClauseMatch]:
    """The clauses a finding quotes, the one to read first leading.

    A conflict leads with the clause that decided. A covered finding leads with the
    best-worded (:func:`citation_strength`) of the supporting clauses strong enough to
    have decided it on their own. A gap leads with the best-worded clause even when it
    does not count as support (a catch-all, a near miss): it is the wording the lawyer
    has to amend. The deciding clause always follows the lead; then come specific
    clauses before generic ones. Besides these, only clauses at least partly on topic are
    quoted (the lead can reach its threshold by key terms and element cues alone).
    """

    def citable(match: ClauseMatch) -> float:
        return citation_strength(match, settings, binds(entry, match))

    deciding = verdict.deciding
    lead = deciding
    if verdict.status in (Status.PARTIAL, Status.MISSING) and deciding is not None:
        wording = [m for m in matches if len(m.clause.text.split()) >= settings.min_evidence_words]
        lead = max(wording, key=citable, default=deciding)
    elif verdict.status is Status.COVERED and deciding is not None:
        # Any binding clause as strong as the floor (or the deciding clause) could decide.
        bar = min(settings.statement_floor, strength(deciding, settings))
        deciders = [
            m
            for m in supporting_clauses(entry, matches, settings)
            if binds(entry, m) and strength(m, settings) >= bar
        ]
        lead = max(deciders, key=citable, default=deciding)
    ranked = sorted(
        matches,
        key=lambda m: (
            m is not lead,
            m is not deciding,
            m.topical < settings.partial_threshold,
            m.specificity < settings.specificity_floor,
            -m.score,
        ),
    )
    quoted = [
        m for m in ranked if m is lead or m is deciding or m.topical >= settings.partial_threshold
    ]
    return quoted[: settings.evidence_limit]


def assess(
    entry: ObligationEntry, matches: Sequence[ClauseMatch], settings: MatchSettings
) -> Finding:
    """The finding for one obligation given its ranked clause matches."""
    obligation = entry.obligation
    verdict = decide(entry, matches, settings)
    status = verdict.status
    top_score = max((m.score for m in matches), default=0.0)
    best = verdict.deciding
    evidence = tuple(
        Evidence(
            document=match.clause.document,
            section=match.clause.section,
            heading=match.clause.heading,
            page=match.clause.page,
            text=match.clause.text,
            score=round(match.score, 4),
            start=match.clause.start,
            end=match.clause.end,
        )
        for match in cited_clauses(entry, verdict, matches, settings)
    )
    notes: list[str] = []
    if best is not None:
        notes.append(
            f"deciding clause {_where(best.clause)}: similarity {best.score:.2f}, "
            f"specificity {best.specificity:.2f}, stance {best.modality.value}"
            + (
                f", closest counterexample {best.counterexample_score:.2f}"
                if best.counterexample_score > 0
                else ""
            )
        )
        qualifiers = find_qualifiers(best.clause.text)
        if qualifiers and status is not Status.MISSING:
            notes.append(
                f"the deciding clause is qualified ({describe_qualifiers(qualifiers)}): "
                "check how far its rule reaches"
            )
    if entry.expected_modality is not Modality.NONE:
        notes.append(f"satisfying clauses {entry.expected_modality.value} (from the examples)")
    if status is Status.MISSING and verdict.rule == NOTHING_CLOSE:
        notes.append("no clause in the policy set addresses this obligation closely enough")
    rule = verdict.rule
    source = entry.catalog.source(obligation.source.id)
    return Finding(
        obligation_id=obligation.id,
        catalog=entry.catalog.id,
        vendor=entry.catalog.vendor,
        title=obligation.title,
        requirement=obligation.requirement,
        severity=obligation.severity,
        category=obligation.category,
        status=status,
        confidence=confidence_for(verdict, settings),
        evidence=evidence,
        remediation=Remediation(
            actions=tuple(obligation.remediation.actions),
            model_clause=obligation.remediation.model_clause,
        ),
        citation=Citation(
            vendor=entry.catalog.vendor,
            document=source.title,
            section=obligation.source.section,
            effective=source.effective.isoformat(),
            url=source.url,
            excerpt_only=source.excerpt_only,
        ),
        severity_reason=obligation.severity_reason,
        canonical=obligation.canonical or "",
        regulatory=tuple(
            Regulation(law=r.law, jurisdictions=tuple(r.jurisdictions))
            for r in obligation.regulatory
        ),
        applies_when=tuple(obligation.applies_when),
        minimum_age=obligation.minimum_age,
        elements=verdict.elements,
        explanation=Explanation(
            rule=rule,
            best_score=round(top_score, 4),
            thresholds={
                "covered": settings.covered_threshold,
                "partial": settings.partial_threshold,
                "specificity": settings.specificity_floor,
                "conflict": settings.conflict_threshold,
                "conflict_cue": settings.conflict_cue_floor,
                "statement": settings.statement_floor,
            },
            matched_example=best.best_text if best else "",
            notes=tuple(notes) + verdict.notes,
        ),
    )
