"""Annotated terms: the operator's own document with the report written into it for Word.

A lawyer works in the terms, not in the report. So ``--annotate`` writes a copy of each
input (the DOCX itself, or a clean DOCX rendering of a PDF/HTML/Markdown/text input)
with:

* a Word comment on every clause the report cites as evidence of a covered, partial or
  conflicting obligation ("Covers OPENAI-MIN-AGE ...", "Partial: ... missing ...");
* each remediation-plan item's model clause as a *tracked insertion* by "gapcheck", at
  the end of the section holding the deciding obligation's best evidence, or under
  "Suggested additions" at the end of the main document when there is none, with a
  comment saying which obligations it closes. The lawyer accepts or rejects it in Word.

The input file is only read. Dates of comments and insertions are the report's date,
so two runs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document as open_document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gapcheck.errors import InputError, OutputError, UsageError
from gapcheck.ingest import read_document
from gapcheck.ingest.builder import clean_text
from gapcheck.limits import DEFAULT_LIMITS, Limits
from gapcheck.model import Document, Evidence, Finding, Report, Status
from gapcheck.outputs import check_output_path, write_atomically
from gapcheck.render.context import report_context, utc_timestamp
from gapcheck.render.ooxml import (
    reproducible_package,
    revision_stamp,
    tracked_paragraph,
    xml_safe,
)
from gapcheck.render.terms_docx import render_terms

AUTHOR = "gapcheck"
INITIALS = "GC"
ADDITIONS_HEADING = "Suggested additions"
ANNOTATED_SUFFIX = ".annotated.docx"

Locator = Callable[[Evidence], "Paragraph | None"]
"""Finds the paragraph of the annotated document that holds a quoted clause."""

_HEADING_STYLE = re.compile(r"heading (\d)$", re.IGNORECASE)
_PREFIX = 60
"""Characters of a clause used to find it when the full text is not found verbatim."""


def annotated_targets(inputs: Sequence[Path], out: Path) -> dict[Path, Path]:
    """Where each input's annotated copy is written.

    One input: exactly ``out``. Several inputs, or ``out`` an existing folder: each
    input goes into that folder (``out``'s own folder when ``out`` is a file name) as
    ``<stem>.annotated.docx``; inputs sharing a stem keep their suffix
    (``terms.md.annotated.docx``) so no copy overwrites another.

    Raises:
        UsageError: ``out`` is a file name that does not end in ``.docx``.
    """
    if not out.is_dir() and out.suffix.lower() != ".docx":
        raise UsageError(f"--annotate {out}: give a .docx file name or an existing folder")
    if len(inputs) == 1 and not out.is_dir():
        return {inputs[0]: out}
    folder = out if out.is_dir() else out.parent
    stems = [path.stem for path in inputs]
    return {
        path: folder / f"{path.stem if stems.count(path.stem) == 1 else path.name}"
        f"{ANNOTATED_SUFFIX}"
        for path in inputs
    }


def check_annotation_targets(inputs: Sequence[Path], out: Path) -> dict[Path, Path]:
    """The targets of ``--annotate``, refused if one would overwrite an input.

    Raises:
        UsageError: a target is an input or ``out`` is not a .docx name or a folder.
        OutputError: a target's folder does not exist.
    """
    targets = annotated_targets(inputs, out)
    for target in targets.values():
        check_output_path(target, inputs)
    return targets


def write_annotations(
    report: Report, targets: dict[Path, Path], limits: Limits = DEFAULT_LIMITS
) -> list[Path]:
    """Write each input's annotated copy (atomically); the first input is the main one."""
    written = []
    for index, (source, target) in enumerate(targets.items()):
        write_atomically(target, annotate_file(report, source, main=index == 0, limits=limits))
        written.append(target)
    return written


def annotate_file(
    report: Report, path: Path, *, main: bool = True, limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """The annotated copy of input ``path`` as DOCX bytes; the file itself is not changed.

    ``main`` marks the document that receives suggested additions for obligations with
    no evidence anywhere (the first input of the policy set). ``limits`` are those the
    analysis read the input under.

    Raises:
        InputError: the input can no longer be read.
        OutputError: the report's date is not an ISO 8601 timestamp.
    """
    moment = utc_timestamp(report.generated_at)
    if moment is None:
        raise OutputError(
            f"cannot date the annotations: generated_at {report.generated_at!r} "
            "is not an ISO 8601 timestamp"
        )
    source = read_document(path, limits)
    if source.format == "docx":
        document = _open_copy(path)
        locate = _TextLocator(document).find
    else:
        rendered = render_terms(source)
        document = rendered.document

        def locate(evidence: Evidence) -> Paragraph | None:
            return rendered.paragraph_at(evidence.start)

    annotator = _Annotator(document, moment)
    _comment_evidence(annotator, report, source, locate)
    _insert_model_clauses(annotator, report, source, locate, main=main)
    properties = document.core_properties
    if source.format != "docx":
        properties.title = xml_safe(source.name)
        properties.author = AUTHOR
        properties.created = moment
    properties.modified = moment
    properties.last_modified_by = AUTHOR
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_package(buffer.getvalue())


def _open_copy(path: Path) -> WordDocument:
    """Open the original DOCX from its bytes, so nothing can ever write back to it."""
    try:
        return open_document(io.BytesIO(path.read_bytes()))
    except Exception as error:  # python-docx raises many types for a damaged package
        raise InputError(f"{path}: cannot open the DOCX to annotate it ({error})") from error


# --- comments on evidence -------------------------------------------------------------------


def _comment_evidence(
    annotator: _Annotator, report: Report, source: Document, locate: Locator
) -> None:
    """One comment per cited paragraph, a line per obligation that cites it, worst first."""
    order = (Status.CONFLICT, Status.PARTIAL, Status.COVERED)
    lines: dict[BaseOxmlElement, list[str]] = {}
    paragraphs: dict[BaseOxmlElement, Paragraph] = {}
    findings = sorted(
        (f for f in report.findings if f.status in order),
        key=lambda f: (order.index(f.status), f.severity.rank, f.obligation_id),
    )
    for finding in findings:
        for evidence in finding.evidence:
            if evidence.document != source.name:
                continue
            paragraph = locate(evidence)
            if paragraph is None:
                continue
            key = paragraph._p
            paragraphs[key] = paragraph
            line = _comment_line(finding)
            if line not in lines.setdefault(key, []):
                lines[key].append(line)
    for key, paragraph in paragraphs.items():
        annotator.comment(_anchor_runs(paragraph), lines[key])


def _comment_line(finding: Finding) -> str:
    """What one obligation says about the clause it cites."""
    who = f"{finding.obligation_id} ({finding.vendor}): {finding.title}"
    if finding.status is Status.COVERED:
        return f"Covers {who}."
    if finding.status is Status.CONFLICT:
        return f"Conflict: {who}. This clause contradicts the obligation."
    missing = [e.name for e in finding.elements if not e.present]
    if missing:
        return f"Partial: {who}. Missing: {', '.join(missing)}."
    return f"Partial: {who}. Not stated specifically enough to count as covered."


# --- tracked insertions ---------------------------------------------------------------------


def _insert_model_clauses(
    annotator: _Annotator, report: Report, source: Document, locate: Locator, *, main: bool
) -> None:
    """Each remediation-plan item's model clause, inserted where the lawyer will look."""
    by_id = {f.obligation_id: f for f in report.findings}
    for item in report_context(report)["gap_groups"]:
        driver = by_id[item["driver_id"]]
        clause = driver.remediation.model_clause.strip()
        if not clause:
            continue
        # A missing obligation's quotes are only near misses: no section is "its" section.
        best = driver.evidence[0] if driver.evidence else None
        if driver.status is Status.MISSING or best is None:
            if main:
                annotator.append_addition(clause, _insertion_note(item))
            continue
        if best.document != source.name:
            continue  # the input holding the best evidence gets this one
        paragraph = locate(best)
        if paragraph is None:
            annotator.append_addition(clause, _insertion_note(item))
        else:
            annotator.insert_at_section_end(paragraph, clause, _insertion_note(item))


def _insertion_note(item: dict[str, Any]) -> list[str]:
    """The comment on an inserted clause: which plan item and obligations it closes."""
    return [
        f"Suggested by gapcheck (plan item {item['plan_number']}, {item['priority_label']}): "
        f"{item['title']}.",
        f"Closes: {', '.join(m['id'] for m in item['members'] if m['is_gap'])}.",
        " ".join(item["driver"]["remediation"]["actions"]),
    ]


@dataclass
class _Annotator:
    """Adds comments and tracked insertions to one Word document, with stable ids."""

    document: WordDocument
    moment: dt.datetime
    revision: int = 0
    cursors: dict[BaseOxmlElement, BaseOxmlElement] = field(default_factory=dict)
    additions: BaseOxmlElement | None = None

    def __post_init__(self) -> None:
        ids = [
            int(value)
            for element in self.document.element.body.iter()
            if (value := element.get(qn("w:id"))) is not None and value.isdigit()
        ]
        self.revision = max(ids, default=0) + 1000

    def comment(self, runs: Sequence[Run], lines: Sequence[str]) -> None:
        """A comment by gapcheck on ``runs``, one paragraph per line, dated the report."""
        comment = self.document.add_comment(
            list(runs), text=xml_safe(lines[0]), author=AUTHOR, initials=INITIALS
        )
        for line in lines[1:]:
            comment.add_paragraph(xml_safe(line))
        comment._comment_elm.date = self.moment

    def insert_at_section_end(self, paragraph: Paragraph, text: str, note: list[str]) -> None:
        """Insert ``text`` as a tracked paragraph at the end of ``paragraph``'s section."""
        anchor = _section_end(self.document, _body_child(paragraph._p))
        after = self.cursors.get(anchor, anchor)
        self.cursors[anchor] = self._tracked(after, text, note)

    def append_addition(self, text: str, note: list[str]) -> None:
        """Add ``text`` under the "Suggested additions" heading at the end of the document."""
        if self.additions is None:
            heading, _ = self._new_paragraph(ADDITIONS_HEADING, _style_id(self.document, 1))
            _last_body_child(self.document).addnext(heading)
            self.additions = heading
        self.additions = self._tracked(self.additions, text, note)

    def _tracked(self, after: BaseOxmlElement, text: str, note: list[str]) -> BaseOxmlElement:
        """Insert one tracked paragraph after ``after``, with its comment; return it."""
        element, run = self._new_paragraph(text, None)
        after.addnext(element)
        paragraph = Paragraph(element, self.document._body)
        self.comment([Run(run, paragraph)], note)
        return element

    def _new_paragraph(
        self, text: str, style_id: str | None
    ) -> tuple[BaseOxmlElement, BaseOxmlElement]:
        element, run = tracked_paragraph(
            text,
            revision=self.revision,
            author=AUTHOR,
            date=revision_stamp(self.moment),
            style_id=style_id,
        )
        self.revision += 2
        return element, run


# --- finding clauses and sections -----------------------------------------------------------


class _TextLocator:
    """Finds the paragraph of an original DOCX that holds a quoted clause."""

    def __init__(self, document: WordDocument) -> None:
        self._paragraphs = [
            (clean_text(paragraph.text), paragraph) for paragraph in _all_paragraphs(document)
        ]
        self._rows = [(_row_text(row), row) for row in document.element.body.iter(qn("w:tr"))]
        self._body = document._body

    def find(self, evidence: Evidence) -> Paragraph | None:
        """The paragraph containing the clause (or its table row's first cell), if any."""
        needle = clean_text(evidence.text)
        if not needle:
            return None
        for text, paragraph in self._paragraphs:
            if needle in text:
                return paragraph
        for text, row in self._rows:
            if needle in text:
                first = next(iter(row.iter(qn("w:p"))), None)
                return Paragraph(first, self._body) if first is not None else None
        prefix = needle[:_PREFIX]
        for text, paragraph in self._paragraphs:
            if len(prefix) >= 20 and prefix in text:
                return paragraph
        return None


def _all_paragraphs(document: WordDocument) -> Iterator[Paragraph]:
    """Every paragraph of the body, including those inside tables, in document order."""
    for element in document.element.body.iter(qn("w:p")):
        yield Paragraph(element, document._body)


def _row_text(row: BaseOxmlElement) -> str:
    """A table row's text as the DOCX reader records it: cleaned cells joined by " | "."""
    cells = []
    for cell in row.findall(qn("w:tc")):
        text = " ".join(
            "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p"))
        )
        cells.append(clean_text(text))
    return " | ".join(cell for cell in cells if cell)


def _anchor_runs(paragraph: Paragraph) -> list[Run]:
    """The runs a comment spans: the paragraph's own runs, or a new empty one."""
    runs = paragraph.runs
    return runs if runs else [paragraph.add_run("")]


def _body_child(element: BaseOxmlElement) -> BaseOxmlElement:
    """The top-level body element (paragraph or table) that contains ``element``."""
    while element.getparent() is not None and element.getparent().tag != qn("w:body"):
        element = element.getparent()
    return element


def _section_end(document: WordDocument, anchor: BaseOxmlElement) -> BaseOxmlElement:
    """The last body element of the section holding ``anchor``.

    The section starts at the nearest heading at or before ``anchor`` and runs until
    the next heading of the same or a higher level. Without any heading before it, the
    "section" is the anchor itself, so the insertion follows the clause it complements.
    """
    children = [c for c in document.element.body if c.tag in (qn("w:p"), qn("w:tbl"))]
    position = children.index(anchor)
    level = None
    for element in reversed(children[: position + 1]):
        level = _heading_level(document, element)
        if level is not None:
            break
    if level is None:
        return anchor
    end = anchor
    for element in children[position + 1 :]:
        found = _heading_level(document, element)
        if found is not None and found <= level:
            break
        if element.tag == qn("w:tbl") or "".join(element.itertext()).strip():
            end = element
    return end


def _heading_level(document: WordDocument, element: BaseOxmlElement) -> int | None:
    """1..9 for a heading paragraph (by style name or outline level), 0 for a title."""
    if element.tag != qn("w:p"):
        return None
    paragraph = Paragraph(element, document._body)
    properties = element.find(qn("w:pPr"))
    outline = None if properties is None else properties.find(qn("w:outlineLvl"))
    if outline is not None and outline.get(qn("w:val"), "").isdigit():
        return int(outline.get(qn("w:val"))) + 1
    style = paragraph.style
    while style is not None:
        name = style.name or ""
        if name.lower() == "title":
            return 0
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


def _last_body_child(document: WordDocument) -> BaseOxmlElement:
    """The last paragraph or table of the body (the section properties come after it)."""
    children = [c for c in document.element.body if c.tag in (qn("w:p"), qn("w:tbl"))]
    last: BaseOxmlElement = children[-1]
    return last


def _style_id(document: WordDocument, level: int) -> str | None:
    """The id of the document's "Heading N" style, when it has one."""
    for style in document.styles:
        if (style.name or "").lower() == f"heading {level}":
            return str(style.style_id)
    return None
