"""Remove Markdown inline markup (emphasis, code, links, images, tags) and keep the words.

Clauses are matched and quoted as plain text: ``**must not**`` is "must not" and
``[Privacy Policy](https://...)`` is "Privacy Policy". Backslash-escaped characters
and code spans are protected first so that their punctuation is kept literally.
"""

from __future__ import annotations

import html
import re

_PROTECT_BASE = 0xE000
"""Escaped ASCII punctuation is parked in the Private Use Area while markup is removed."""

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE = re.compile(r"(`+)(.{1,1000}?)\1")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_BRACKETED = r"\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]"
_DESTINATION = (
    r"\(\s*(?:<[^<>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_IMAGE = re.compile(r"!" + _BRACKETED + r"(?:" + _DESTINATION + r"|\[[^\[\]]*\])")
_LINK = re.compile(_BRACKETED + _DESTINATION)
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_COMMENT = re.compile(r"<!--.{0,10000}?-->", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_SPACING_TAGS = frozenset(
    {"br", "p", "div", "li", "td", "th", "tr", "hr", "ul", "ol", "table", "blockquote"}
)
# Spans are bounded so that a line full of unmatched markers costs linear, not
# quadratic, time; longer emphasis loses its markers to _STRAY_MARKERS instead.
_SPAN = "(.{1,1000}?)"
_EMPHASIS = tuple(
    re.compile(pattern.replace("(SPAN)", _SPAN))
    for pattern in (
        r"\*\*(?=\S)(SPAN)(?<=\S)\*\*",
        r"(?<!\w)__(?=\S)(SPAN)(?<=\S)__(?!\w)",
        r"~~(?=\S)(SPAN)(?<=\S)~~",
        r"(?<![\w*])\*(?=[^\s*])(SPAN)(?<=[^\s*])\*(?![\w*])",
        r"(?<!\w)_(?=[^\s_])(SPAN)(?<=[^\s_])_(?!\w)",
    )
)
# Markers left over from malformed emphasis ("_Title  _Text", "**6.1 Heading  ").
_STRAY_MARKERS = re.compile(r"\*{2,}|(?<!\w)_+|_+(?!\w)")
_RESTORE = {_PROTECT_BASE + code: chr(code) for code in range(0x21, 0x7F)}


def _protect(text: str) -> str:
    """Park ASCII punctuation so no markup pattern matches it."""
    return "".join(
        chr(_PROTECT_BASE + ord(char))
        if char.isascii() and not char.isalnum() and not char.isspace()
        else char
        for char in text
    )


def _tag(match: re.Match[str]) -> str:
    return " " if match.group(1).lower() in _SPACING_TAGS else ""


def strip_inline(text: str) -> str:
    """Return ``text`` with Markdown inline markup removed and its words kept."""
    text = _ESCAPE.sub(lambda match: _protect(match.group(1)), text)
    text = _CODE.sub(lambda match: _protect(match.group(2).strip()), text)
    text = _AUTOLINK.sub(lambda match: _protect(match.group(1)), text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _COMMENT.sub(" ", text)
    text = _TAG.sub(_tag, text)
    for _ in range(3):  # nested emphasis: ***both***, **bold _and em_**
        before = text
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\1", text)
        if text == before:
            break
    text = _STRAY_MARKERS.sub("", text)
    text = html.unescape(text)
    return text.translate(_RESTORE)
