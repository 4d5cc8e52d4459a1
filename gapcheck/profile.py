"""Operator profiles: which vendors a product uses and which conditions hold for it.

An obligation's ``applies_when`` conditions (see :data:`gapcheck.catalog.CONDITIONS`)
say when a duty bites: a voice-disclosure rule does not apply to a text-only product.
A profile states the facts once; obligations whose conditions do not hold are reported
``not_applicable`` with the reason, instead of being silently dropped, so a reader can
see what was switched off and why. Conditions the profile does not mention count as
holding: an incomplete profile never hides a duty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from gapcheck.catalog import CONDITIONS, Obligation
from gapcheck.errors import CatalogError
from gapcheck.safe_yaml import load_untrusted_yaml

FEATURE_CONDITIONS: tuple[str, ...] = (
    "chatbot",
    "agentic",
    "voice",
    "images",
    "code",
    "grounding",
    "distributes-model",
)
"""Conditions a profile states by listing product ``features``."""

FLAG_CONDITIONS: dict[str, str] = {
    "consumer_facing": "consumer-facing",
    "serves_minors": "serves-minors",
    "eu_users": "eu-users",
    "high_risk_domain": "high-risk-domain",
}
"""Profile yes/no fields and the condition each one states."""

Feature = Annotated[str, StringConstraints(strip_whitespace=True)]


class Profile(BaseModel):
    """The facts about an operator's product that decide which obligations apply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    operator: str | None = None
    vendors: list[str] = Field(default_factory=list)
    policy_versions: dict[str, dt.date] = Field(default_factory=dict)
    consumer_facing: bool | None = None
    serves_minors: bool | None = None
    eu_users: bool | None = None
    high_risk_domain: bool | None = None
    features: list[Feature] | None = None
    path: Path | None = Field(default=None, exclude=True)

    def condition_holds(self, condition: str) -> bool:
        """Whether ``condition`` holds for the product (unknown counts as holding)."""
        for flag, name in FLAG_CONDITIONS.items():
            if name == condition:
                value: bool | None = getattr(self, flag)
                return value is not False
        if condition in FEATURE_CONDITIONS:
            return self.features is None or condition in self.features
        return True

    def not_applicable_reason(self, obligation: Obligation) -> str | None:
        """Why the profile switches ``obligation`` off, or None when it applies."""
        failing = [c for c in obligation.applies_when if not self.condition_holds(c)]
        if not failing:
            return None
        where = self.path.name if self.path else "profile"
        reasons = [_describe(condition) for condition in failing]
        return f"{where}: {'; '.join(reasons)}"


def _describe(condition: str) -> str:
    """The profile statement that turned ``condition`` off, in words."""
    for flag, name in FLAG_CONDITIONS.items():
        if name == condition:
            return f"{flag} is false (applies only when {CONDITIONS[condition]})"
    return f"feature '{condition}' not listed (applies only when {CONDITIONS[condition]})"


def load_profile(path: Path) -> Profile:
    """Read and validate a profile file; errors name the file and the field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: profile file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read profile ({error})") from None
    data = load_untrusted_yaml(raw, path)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a profile must be a YAML mapping (vendors, features, ...)")
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"])
        message = "unknown field" if first["type"] == "extra_forbidden" else first["msg"]
        raise CatalogError(f"{path}: field {field_name}: {message}") from None
    unknown = [f for f in profile.features or () if f not in FEATURE_CONDITIONS]
    if unknown:
        raise CatalogError(
            f"{path}: field features: unknown feature '{unknown[0]}' "
            f"(allowed: {', '.join(FEATURE_CONDITIONS)})"
        )
    return profile.model_copy(update={"path": path})
