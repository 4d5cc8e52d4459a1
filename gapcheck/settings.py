"""The one home of gapcheck's defaults: matching thresholds and where bundled data lives.

Thresholds are data, not constants scattered in code: they are read from
``gapcheck/calibration.json`` (written by the calibration command from labelled data)
when it exists, and every report records the values it was produced with.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CALIBRATION_FILE = PACKAGE_DIR / "calibration.json"


def _bundled(name: str) -> Path:
    """A data folder shipped with gapcheck.

    In an installed wheel the folder is copied into ``gapcheck/_bundled/`` (see
    ``pyproject.toml``); in a source checkout or editable install it sits next to the
    package at the project root.
    """
    installed = PACKAGE_DIR / "_bundled" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


BUNDLED_CATALOG_DIR = _bundled("requirements_catalog")
BUNDLED_TEMPLATE_DIR = _bundled("report_templates")


@dataclass(frozen=True)
class MatchSettings:
    """Tunable figures of matching and assessment.

    ``covered_threshold`` and ``partial_threshold`` are cosine similarities between a
    clause and an obligation's example clauses: at or above the first the obligation is
    covered, between the two partial, below the second missing. ``confidence_scale`` is
    the distance from a threshold at which confidence reaches about 0.73; it turns a
    score's margin into a 0.5..1 confidence until a calibrated mapping replaces it.
    ``counterexample_margin`` demotes a clause that resembles a counterexample more
    than any example by at least this much. ``specificity_floor`` is how much better
    than the median obligation a clause must match for it to count as *covering* one
    (a catch-all falls below it); 0.15 sits between the 5th and 25th percentiles of the
    bundled catalog's own examples scored leave-one-out (0.09 and 0.24).

    These are starting values read off the catalog and the sample terms; calibrating
    them on labelled data replaces them through ``calibration.json``.
    """

    covered_threshold: float = 0.62
    partial_threshold: float = 0.50
    evidence_limit: int = 3
    confidence_scale: float = 0.08
    counterexample_margin: float = 0.02
    specificity_floor: float = 0.15
    candidates_per_obligation: int = 20

    def as_dict(self) -> dict[str, float]:
        """The settings as recorded in a report."""
        return {key: float(value) for key, value in asdict(self).items()}


def load_match_settings(path: Path = CALIBRATION_FILE) -> MatchSettings:
    """Defaults, overridden by a calibration file's values when one is present."""
    settings = MatchSettings()
    if not path.is_file():
        return settings
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(MatchSettings)}
    values = {key: value for key, value in data.get("settings", {}).items() if key in known}
    return replace(settings, **values)
