"""The learned covered-or-gap decision: a small logistic model over readable signals.

Thresholds on similarity alone cannot tell "mentions the topic" from "satisfies the
obligation": on the labelled operator terms the best clause of a gold-covered obligation
and of a gold-partial one overlap heavily in similarity. What separates them is several
signals together: how many required elements the on-topic clauses name, how specific
the best clause is, how many of the obligation's key terms it shares. This module turns
those signals into a probability that the obligation is covered.

The model is deliberately small (one weight per named feature, fitted by
``benchmarks/calibrate.py`` on the tuning split and stored in ``gapcheck/calibration.json``)
so that every verdict can be explained feature by feature, and so that its probability
*is* the verdict's confidence. The model is data, never code: loading it only reads
numbers and checks their shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gapcheck.model import ElementCheck

if TYPE_CHECKING:
    from gapcheck.matching import ClauseMatch

FEATURES: tuple[str, ...] = (
    "similarity",
    "key_terms",
    "specificity",
    "best_key_terms",
    "support_breadth",
    "element_share",
)
"""The signals, in model order, each named so an explanation can cite it:

* ``similarity``: cosine of the best supporting clause to the obligation's texts;
* ``key_terms``: that clause's key-term (BM25) score;
* ``specificity``: how much better that clause fits this obligation than the median one;
* ``best_key_terms``: the best key-term score of any candidate clause (a clause can use
  the obligation's words while an embedding ranks a longer one first);
* ``support_breadth``: share of candidates nearly as close as the best (within 0.1): an
  obligation the terms address in several clauses is more often fully addressed;
* ``element_share``: share of the obligation's required elements named by on-topic
  clauses. An obligation that lists no elements has one, the requirement as a whole,
  present when the best clause reaches the covered threshold.
"""

OBLIGATION_PRIOR = "obligation_prior"
"""The name under which an obligation's learned offset appears in explanations."""


@dataclass(frozen=True)
class CoverageSignals:
    """The feature values of one obligation's assessment, in :data:`FEATURES` order."""

    values: tuple[float, ...]
    obligation: str = ""
    """The obligation's id, for its learned offset (see :class:`CoverageModel`)."""

    def as_dict(self) -> dict[str, float]:
        """Feature name to value, for explanations."""
        return {name: round(value, 4) for name, value in zip(FEATURES, self.values, strict=True)}


def coverage_signals(
    best: ClauseMatch,
    candidates: Sequence[ClauseMatch],
    elements: Sequence[ElementCheck],
    covered_threshold: float,
    obligation: str = "",
) -> CoverageSignals:
    """The signals for obligation ``obligation`` whose best supporting clause is ``best``."""
    closeness = [m.score for m in candidates] or [best.score]
    breadth = sum(1 for score in closeness if score >= best.score - 0.1) / len(closeness)
    if elements:
        share = sum(check.present for check in elements) / len(elements)
    else:
        share = 1.0 if best.score >= covered_threshold else 0.0
    return CoverageSignals(
        (
            best.score,
            best.lexical,
            _finite(best.specificity),
            max((m.lexical for m in candidates), default=best.lexical),
            breadth,
            share,
        ),
        obligation,
    )


def _finite(value: float) -> float:
    """Specificity is infinite when too few obligations are selected to compare; cap it."""
    return value if math.isfinite(value) else 1.0


@dataclass(frozen=True)
class CoverageModel:
    """Logistic regression on standardised signals, with its decision threshold.

    ``probability`` is P(covered | signals) as fitted on the tuning data; the verdict is
    covered when it reaches ``threshold`` (chosen on the tuning data for the objective,
    which weighs a silent coverage heavily, so it need not be 0.5).

    ``obligation_offsets`` shift the log-odds per obligation id, learned (and shrunk
    towards zero) from the labelled pairs of that obligation. The same signals mean
    different things for different duties: a clause on the subject of "use only for the
    purpose" nearly always states it, one on the subject of "the Recipient may keep
    copies" often only mentions copies. An obligation without labelled data has none.
    """

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float
    obligation_offsets: Mapping[str, float] = field(default_factory=dict)

    def probability(self, signals: CoverageSignals) -> float:
        """P(covered) for these signals."""
        z = self.bias + sum(self.contributions(signals).values())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def contributions(self, signals: CoverageSignals) -> dict[str, float]:
        """Each feature's push towards (positive) or away from (negative) covered.

        The obligation's learned offset, if any, is listed as ``obligation_prior``.
        """
        pushes = {
            name: weight * (value - mean) / scale
            for name, weight, value, mean, scale in zip(
                FEATURES, self.weights, signals.values, self.means, self.scales, strict=True
            )
        }
        offset = self.obligation_offsets.get(signals.obligation, 0.0)
        if offset:
            pushes[OBLIGATION_PRIOR] = offset
        return {name: round(push, 3) for name, push in pushes.items()}

    def as_dict(self) -> dict[str, Any]:
        """The stored form (see ``gapcheck/calibration.json``)."""
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "means": [round(m, 6) for m in self.means],
            "scales": [round(s, 6) for s in self.scales],
            "threshold": round(self.threshold, 4),
            "obligation_offsets": {
                ident: round(offset, 6) for ident, offset in sorted(self.obligation_offsets.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageModel:
        """Read a stored model, refusing any whose features are not this version's."""
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(
                "coverage model features do not match this gapcheck version "
                f"(expected {', '.join(FEATURES)}); re-run benchmarks/calibrate.py"
            )
        vectors = {key: [float(x) for x in data[key]] for key in ("weights", "means", "scales")}
        if any(len(vector) != len(FEATURES) for vector in vectors.values()):
            raise ValueError("coverage model needs one weight, mean and scale per feature")
        if any(scale <= 0 for scale in vectors["scales"]):
            raise ValueError("coverage model scales must be positive")
        threshold = float(data["threshold"])
        if not 0.0 < threshold < 1.0:
            raise ValueError("coverage model threshold must lie between 0 and 1")
        offsets = data.get("obligation_offsets", {})
        if not isinstance(offsets, Mapping) or not all(
            isinstance(ident, str)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            for ident, value in offsets.items()
        ):
            raise ValueError("coverage model obligation_offsets must map ids to finite numbers")
        return cls(
            weights=tuple(vectors["weights"]),
            bias=float(data["bias"]),
            means=tuple(vectors["means"]),
            scales=tuple(vectors["scales"]),
            threshold=threshold,
            obligation_offsets={str(k): float(v) for k, v in offsets.items()},
        )
