"""The one home of gapcheck's defaults: matching thresholds and where bundled data lives.

Thresholds are data, not constants scattered in code: they are read from
``gapcheck/calibration.json`` (written by the calibration command from labelled data)
when it exists, and every report records the values it was produced with.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from gapcheck.coverage_model import CoverageModel
from gapcheck.errors import UsageError

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
    """Tunable figures of matching and assessment, all calibrated from labelled data.

    Similarities are cosines between a clause and an obligation's texts.

    * ``covered_threshold``: a supporting clause this close (and specific, below)
      covers the obligation; ``partial_threshold``: this close addresses it partly.
    * ``specificity_floor``: how much better than the median obligation a clause must
      match to count as covering one; a catch-all falls below it and earns partial.
    * ``counterexample_margin``: a clause closer to a counterexample than to any
      example by this much does not support the obligation.
    * ``lexical_weight``: how much a clause's key-term overlap with the obligation
      (BM25 per query term) adds to its similarity before the thresholds apply.
    * ``element_weight``: how much the share of required elements a clause names adds
      to its strength (ranks the clause that names the most parts first).
    * ``min_evidence_words``: shorter fragments (stray headings) never support.
    * ``conflict_threshold``: a clause at least this close to the obligation's subject
      that takes the opposite stance (permits what it forbids), or that matches one of
      its contradicting clauses better than its examples, makes it a conflict.
    * ``conflict_cue_floor``: a clause at least this close to the obligation's subject
      that names one of its conflict cues (a position it rules out) makes it a conflict.
    * ``confidence_slope``, ``confidence_offset`` and the per-status offsets: confidence
      is the logistic of slope x (distance of the deciding score from its threshold) +
      offset + the offset of the verdict's status, fitted so that stated confidence
      matches observed accuracy on the tuning data (some verdicts are right more often
      than others at the same margin).
    * ``element_floor``: a clause must be at least this close to the obligation for the
      element cues it contains to count.
    * ``statement_floor``: an obligation that lists no elements is never covered while
      its best clause's strength stays below this, whatever the coverage model says:
      the requirement is then its one part, and no clause states it closely enough.
      Chosen with the coverage model by cross-validation, since it gates its verdicts.
    * ``citation_lexical_weight``, ``citation_element_weight`` and
      ``citation_notice_penalty``: how the clause a finding quotes first is chosen. The
      clause that best shows a lawyer where the obligation is (or should be) addressed
      is not always the one that decides the verdict: it uses the obligation's words and
      names its parts, and it sits in the terms rather than in a privacy notice (for
      obligations a notice cannot satisfy). Fitted for evidence precision.
    * ``coverage_model``: the learned covered-or-gap decision (see
      :mod:`gapcheck.coverage_model`); without one, a supporting clause covers when it
      reaches ``covered_threshold``.
    * ``evidence_limit``: clauses quoted per finding; ``candidates_per_obligation``:
      the most on-topic clauses considered per obligation (as many again are recalled
      because they name a required element; see :func:`gapcheck.matching.rank_clauses`).

    The defaults are starting values; ``gapcheck/calibration.json``, written by
    ``benchmarks/calibrate.py`` from the labelled development set, replaces them.
    """

    covered_threshold: float = 0.62
    partial_threshold: float = 0.50
    specificity_floor: float = 0.15
    counterexample_margin: float = 0.02
    lexical_weight: float = 0.0
    element_weight: float = 0.0
    min_evidence_words: int = 3
    conflict_threshold: float = 0.62
    conflict_cue_floor: float = 0.6
    confidence_slope: float = 12.5
    confidence_offset: float = 0.0
    confidence_offset_covered: float = 0.0
    confidence_offset_partial: float = 0.0
    confidence_offset_missing: float = 0.0
    confidence_offset_conflict: float = 0.0
    evidence_limit: int = 3
    candidates_per_obligation: int = 20
    element_floor: float = 0.5
    statement_floor: float = 0.62
    citation_lexical_weight: float = 0.0
    citation_element_weight: float = 0.0
    citation_notice_penalty: float = 0.0
    coverage_model: CoverageModel | None = None

    def as_dict(self) -> dict[str, float]:
        """The settings as recorded in a report, with the coverage model's threshold.

        The model's weights stay in the calibration file; the report names its threshold.
        """
        values = {
            key: float(value)
            for key, value in asdict(self).items()
            if isinstance(value, int | float)
        }
        if self.coverage_model is not None:
            values["coverage_model_threshold"] = self.coverage_model.threshold
        return values


SETTINGS_ENV = "GAPCHECK_SETTINGS"
"""Environment variable naming a settings file, for users who cannot pass ``--settings``."""

_COUNTS = {
    "min_evidence_words": (0, 1000),
    "evidence_limit": (1, 50),
    "candidates_per_obligation": (1, 1000),
}
"""Whole-number settings and their allowed range: a settings file is user input, and a
candidate count of ten million would ask for the memory of ten million matches."""


class SettingsError(UsageError):
    """A settings file is missing, not JSON, or holds a value gapcheck cannot use."""


@dataclass(frozen=True)
class Calibration:
    """Matching settings, where they came from, and the model they were fitted for.

    Thresholds are cosines of one particular embedding model; another model spreads its
    similarities differently, so settings are only calibrated for the model they record.
    ``model_identity`` is that model's content identity
    (:func:`gapcheck.encoder.model_identity`), None when the file does not record it.
    """

    settings: MatchSettings
    source: Path | None
    model_name: str | None = None
    model_identity: str | None = None

    def model_mismatch(self, identity: str, name: str) -> str | None:
        """A warning when the settings were fitted to another model than ``identity``.

        None when they fit it, or when the file does not say which model it fits (the
        defaults, or a file written before settings recorded it).
        """
        if self.model_identity is None or self.model_identity == identity:
            return None
        fitted = self.model_name or f"model {self.model_identity}"
        # The file name only: reports are handed on, and a folder path may be private.
        where = "bundled" if self.source == CALIBRATION_FILE else (self.source or Path()).name
        return (
            f"the matching settings ({where}) were calibrated for {fitted}, not for "
            f"{name}: thresholds and confidence are not fitted to this model, so treat the "
            "verdicts as uncalibrated (calibrate settings for it and pass --settings)"
        )


def resolve_settings_path(option: Path | None) -> Path:
    """The settings file to use: the option, else ``$GAPCHECK_SETTINGS``, else the bundled one."""
    if option is not None:
        return option
    chosen = os.environ.get(SETTINGS_ENV)
    return Path(chosen).expanduser() if chosen else CALIBRATION_FILE


def load_calibration(path: Path = CALIBRATION_FILE, include_model: bool = True) -> Calibration:
    """Read and check a settings file (as ``benchmarks/calibrate.py`` writes them).

    The bundled file may be absent in a stripped install: the defaults then apply. Any
    other file must exist. Unknown names are refused rather than ignored, so a misspelt
    threshold cannot silently leave the default in force.

    Raises:
        SettingsError: one line naming the file and what is wrong with it.
    """
    if not path.is_file():
        if path == CALIBRATION_FILE:
            return Calibration(MatchSettings(), None)
        raise SettingsError(f"{path}: settings file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the settings file ({error})") from None
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path}: not JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        raise SettingsError(f'{path}: expected a JSON object with a "settings" object')
    try:
        settings = _read_settings(data["settings"], include_model)
    except ValueError as error:
        raise SettingsError(f"{path}: {error}") from None
    made = data.get("calibrated_on", {})
    if not isinstance(made, dict):
        raise SettingsError(f'{path}: "calibrated_on" must be an object')
    name, identity = made.get("model"), made.get("model_identity")
    return Calibration(
        settings,
        path,
        name if isinstance(name, str) else None,
        identity if isinstance(identity, str) else None,
    )


def _read_settings(stored: dict[str, Any], include_model: bool) -> MatchSettings:
    """MatchSettings from a file's ``settings`` object; ValueError names the bad entry."""
    known = {f.name: f for f in fields(MatchSettings)}
    values: dict[str, Any] = {}
    for key, value in stored.items():
        if key == "coverage_model":
            if value is not None and not isinstance(value, dict):
                raise ValueError("coverage_model must be an object or null")
            try:
                model = CoverageModel.from_dict(value) if value and include_model else None
            except (KeyError, TypeError) as error:
                raise ValueError(f"coverage_model is incomplete ({error})") from None
            values[key] = model
            continue
        if key not in known:
            raise ValueError(f"unknown setting {key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"setting {key} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"setting {key} must be finite")
        if key in _COUNTS:
            low, high = _COUNTS[key]
            if value != int(value) or not low <= value <= high:
                raise ValueError(f"setting {key} must be a whole number from {low} to {high}")
            values[key] = int(value)
        else:
            values[key] = float(value)
    return replace(MatchSettings(), **values)


def load_match_settings(path: Path = CALIBRATION_FILE, include_model: bool = True) -> MatchSettings:
    """Defaults, overridden by a calibration file's values when one is present.

    ``include_model=False`` reads only the thresholds, so a calibration can refit a
    coverage model whose stored form an older version wrote.
    """
    return load_calibration(path, include_model).settings
