"""Render list counters the way Word and browsers display them (1, a, aa, iv, ...).

Word and HTML disagree on letters after "z" (Word repeats the letter: "aa", "bb";
CSS counts in base 26: "aa", "ab"), so both conventions are available; everything
else (roman numerals, zero-padded decimals) is shared.
"""

from __future__ import annotations

from typing import Literal

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def roman(number: int) -> str:
    """Lower-case roman numeral; plain decimal outside 1..3999, where roman has none."""
    if not 0 < number < 4000:
        return str(number)
    parts: list[str] = []
    for value, symbol in _ROMAN:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


MAX_WORD_LETTERS = 780
"""Largest counter shown as repeated letters (30 z's); decimal beyond.

Word's letter style repeats one letter ``n // 26 + 1`` times, so a hostile
``w:start w:val="999999999"`` would make every label 38 million characters long.
"""


def letters(number: int, convention: Literal["word", "css"] = "word") -> str:
    """Lower-case letter counter: ``1 -> a``, ``27 -> aa``, then ``bb`` (Word) or ``ab`` (CSS).

    Word-style counters above :data:`MAX_WORD_LETTERS` are shown in decimal.
    """
    if number < 1 or (convention == "word" and number > MAX_WORD_LETTERS):
        return str(number)
    if convention == "word":
        repeat, index = divmod(number - 1, 26)
        return chr(ord("a") + index) * (repeat + 1)
    out: list[str] = []
    while number > 0:
        number, index = divmod(number - 1, 26)
        out.append(chr(ord("a") + index))
    return "".join(reversed(out))


def ordinal(number: int) -> str:
    """English ordinal: ``1st``, ``2nd``, ``11th``, ``23rd``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def format_counter(number: int, style: str, convention: Literal["word", "css"] = "word") -> str:
    """Format ``number`` in a Word ``numFmt`` style (``decimal``, ``lowerLetter``, ...).

    Unknown styles fall back to decimal, which is what a reader can still cite.
    ``bullet`` and ``none`` render as the empty string.
    """
    if style in ("bullet", "none"):
        return ""
    if style == "lowerLetter":
        return letters(number, convention)
    if style == "upperLetter":
        return letters(number, convention).upper()
    if style == "lowerRoman":
        return roman(number)
    if style == "upperRoman":
        return roman(number).upper()
    if style == "decimalZero":
        return f"{number:02d}"
    if style == "ordinal":
        return ordinal(number)
    return str(number)
