"""Reading the minimum age a clause sets ("at least 13", "under 18", "eighteen (18)").

Age is the one obligation where vendors set different numbers (13 with parental consent
for some, 18 for others), so a clause that says 13 where 18 is required is a conflict,
not coverage. The number has to be read from the text; similarity cannot see it.
"""

from __future__ import annotations

import re

_WORDS = {
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty-one": 21,
    "twenty one": 21,
}
_NUMBER = r"(\d{1,2}|" + "|".join(_WORDS) + r")(?:\s*\(\d{1,2}\))?"
_FLOOR_PATTERNS = (
    re.compile(rf"\bat\s+least\s+{_NUMBER}", re.IGNORECASE),
    re.compile(
        rf"\b{_NUMBER}\s*(?:years?\s+(?:of\s+age\s+)?)?(?:or|and)\s+(?:older|over|above)\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b{_NUMBER}\s*\+", re.IGNORECASE),
    re.compile(rf"\bover\s+(?:the\s+age\s+of\s+)?{_NUMBER}", re.IGNORECASE),
    re.compile(rf"\bage\s+of\s+{_NUMBER}", re.IGNORECASE),
    re.compile(rf"\b{_NUMBER}\s+years?\s+(?:old|of\s+age)\b", re.IGNORECASE),
)
_EXCLUSION = re.compile(
    rf"\b(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_NUMBER}", re.IGNORECASE
)
_ALLOW = r"(?<!not\s)(?<!n't\s)(?<!never\s)(?:allow|permit|let)"
_ADMITTED_BELOW = (
    re.compile(
        rf"\b(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_NUMBER}[^.;]*?\b{_ALLOW}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b{_ALLOW}\w*\s[^.;]*?\b(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?{_NUMBER}",
        re.IGNORECASE,
    ),
)
"""An age exclusion the clause itself lifts ("if you are younger than 13 we will allow you
... with a parent's consent"): it admits children below that age."""
_AGE_CONTEXT = re.compile(
    r"\b(?:age|aged|years?\s+old|older|younger|minors?|children|child|kids|adults?)\b",
    re.IGNORECASE,
)
_CONSENT = re.compile(r"\b(?:parent|parental|guardian)", re.IGNORECASE)


def _value(token: str) -> int:
    token = token.lower()
    return _WORDS[token] if token in _WORDS else int(token)


def admitted_age(text: str) -> int | None:
    """The youngest age a clause expressly admits ("at least 13", "18 or older"), or None.

    With several ages, a clause that mentions parental or guardian consent lets the
    younger age in with consent ("13 or older; under 18 with a parent's consent" admits
    13-year-olds), so the lowest age is the floor; without consent wording the highest
    age is the rule. Exclusions alone ("not for children under 13") admit no one, but an
    exclusion the clause lifts with consent ("under 13 we will allow you with a parent's
    consent") admits the age below it.
    """
    if not _AGE_CONTEXT.search(text):
        return None
    ages = [
        _value(match.group(1)) for pattern in _FLOOR_PATTERNS for match in pattern.finditer(text)
    ]
    if _CONSENT.search(text):
        ages += [
            _value(match.group(1)) - 1
            for pattern in _ADMITTED_BELOW
            for match in pattern.finditer(text)
        ]
    plausible = [age for age in ages if 10 <= age <= 25]
    if not plausible:
        return None
    return min(plausible) if _CONSENT.search(text) else max(plausible)


def stated_minimum_age(text: str) -> int | None:
    """The minimum age a clause sets, admitted or by exclusion ("no one under 18")."""
    admitted = admitted_age(text)
    if admitted is not None or not _AGE_CONTEXT.search(text):
        return admitted
    excluded = [_value(m.group(1)) for m in _EXCLUSION.finditer(text)]
    plausible = [age for age in excluded if 10 <= age <= 25]
    return max(plausible) if plausible else None
