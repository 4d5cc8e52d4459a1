"""Annotated terms: Word comments on cited clauses, model clauses as tracked insertions."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_document
from docx.oxml.ns import qn
from paths import PROJECT_ROOT
from report_factory import make_report

from gapcheck.errors import UsageError
from gapcheck.ingest import read_document
from gapcheck.model import Block, Document, Evidence, Finding, Report, Status
from gapcheck.render.annotate import (
    ADDITIONS_HEADING,
    annotate_file,
    annotated_targets,
    check_annotation_targets,
    write_annotations,
)

EXAMPLES = PROJECT_ROOT / "examples"
TERMS = EXAMPLES / "brightdesk_terms.docx"
AUP = EXAMPLES / "brightdesk_aup.md"

CLAUSE_REVIEW = "HUMAN REVIEW: a qualified person reviews every consequential decision."
CLAUSE_TRAINING = "NO TRAINING: you may not use Outputs to develop competing AI models."
CLAUSE_POLITICS = "NO CAMPAIGNING: you may not use the Service for political campaigning."
CLAUSE_WEAPONS = "NO WEAPONS: you may not use the Service to design or acquire weapons."


def _block(document: Document, start: str) -> Block:
    return next(b for b in document.blocks if b.text.startswith(start))


def _body(document: Document, heading: str) -> Block:
    """The first block after a heading (sub-sections' body paragraphs carry no number)."""
    index = document.blocks.index(_block(document, heading))
    return document.blocks[index + 1]


def _evidence(document: Document, block: Block, fragment: str | None = None) -> Evidence:
    """Evidence quoting a whole block, or one sentence of it (as the segmenter does)."""
    text = block.text if fragment is None else fragment
    offset = block.text.index(text)
    return Evidence(
        document=document.name,
        section="",
        heading="",
        page=None,
        text=text,
        score=0.7,
        start=block.start + offset,
        end=block.start + offset + len(text),
    )


def _finding(
    template: Finding, ident: str, status: Status, evidence: tuple[Evidence, ...], clause: str
) -> Finding:
    return dataclasses.replace(
        template,
        obligation_id=ident,
        title=f"Title of {ident}",
        canonical=ident,
        status=status,
        evidence=evidence,
        remediation=dataclasses.replace(template.remediation, model_clause=clause),
    )


@pytest.fixture(scope="module")
def report() -> Report:
    """Findings citing real clauses of the BrightDesk sample, one of each kind."""
    terms, aup = read_document(TERMS), read_document(AUP)
    base = make_report()
    template = base.findings[0]
    responsibility = _block(terms, "3.4 You are responsible")
    accuracy = _body(terms, "7.1 Accuracy of Outputs")
    sentence = accuracy.text.split(". ")[1] + "."
    findings = (
        _finding(
            template,
            "T-COVERED",
            Status.COVERED,
            (_evidence(terms, responsibility), _evidence(terms, _block(terms, "Team |"))),
            "",
        ),
        _finding(
            template,
            "T-SENTENCE",
            Status.COVERED,
            (_evidence(terms, accuracy, sentence),),
            "",
        ),
        _finding(
            template,
            "T-PARTIAL",
            Status.PARTIAL,
            (_evidence(terms, _body(terms, "7.3 Important Decisions")),),
            CLAUSE_REVIEW,
        ),
        _finding(
            template,
            "T-CONFLICT",
            Status.CONFLICT,
            (_evidence(terms, _body(terms, "6.2 Ownership and Use of Outputs")),),
            CLAUSE_TRAINING,
        ),
        _finding(template, "T-MISSING", Status.MISSING, (), CLAUSE_POLITICS),
        _finding(
            template,
            "A-PARTIAL",
            Status.PARTIAL,
            (_evidence(aup, next(b for b in aup.blocks if "malware" in b.text.lower())),),
            CLAUSE_WEAPONS,
        ),
    )
    return dataclasses.replace(base, findings=findings, generated_at="2026-11-21T00:00:00Z")


def _parts(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return (
            package.read("word/document.xml").decode("utf-8"),
            package.read("word/comments.xml").decode("utf-8"),
        )


def _texts(data: bytes) -> list[str]:
    """Body paragraph texts, counting tracked insertions (``Paragraph.text`` skips them)."""
    document = open_document(io.BytesIO(data))
    return ["".join(t.text or "" for t in p._p.iter(qn("w:t"))) for p in document.paragraphs]


def _comments(comments_xml: str) -> list[str]:
    bodies = re.findall(r"<w:comment [^>]*>(.*?)</w:comment>", comments_xml, flags=re.S)
    return [" / ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)) for body in bodies]


@pytest.fixture(scope="module")
def annotated_terms(report: Report) -> bytes:
    before = hashlib.sha256(TERMS.read_bytes()).hexdigest()
    data = annotate_file(report, TERMS)
    assert hashlib.sha256(TERMS.read_bytes()).hexdigest() == before  # input untouched
    return data


def test_comments_on_cited_clauses(annotated_terms: bytes) -> None:
    document_xml, comments_xml = _parts(annotated_terms)
    comments = _comments(comments_xml)
    assert any(c.startswith("Covers T-COVERED (OpenAI): Title of T-COVERED.") for c in comments)
    assert any(c.startswith("Covers T-SENTENCE") for c in comments)
    assert any(
        c.startswith("Partial: T-PARTIAL (OpenAI): Title of T-PARTIAL. Not stated")
        for c in comments
    )
    assert any(c.startswith("Conflict: T-CONFLICT") for c in comments)
    assert all(
        'w:author="gapcheck"' in tag for tag in re.findall(r"<w:comment [^>]*>", comments_xml)
    )
    assert all(
        'w:date="2026-11-21T00:00:00Z"' in tag
        for tag in re.findall(r"<w:comment [^>]*>", comments_xml)
    )
    starts = document_xml.count("<w:commentRangeStart ")
    assert starts == document_xml.count("<w:commentRangeEnd ") == len(comments)
    document = open_document(io.BytesIO(annotated_terms))
    commented = [
        p.text for p in document.paragraphs if p._p.find(qn("w:commentRangeStart")) is not None
    ]
    assert any(t.startswith("3.4 You are responsible") for t in commented)
    assert any(t.startswith("Outputs are generated automatically") for t in commented)
    table_cells = [
        cell.paragraphs[0]._p.find(qn("w:commentRangeStart")) is not None
        for table in document.tables
        for row in table.rows
        if row.cells[0].text == "Team"
        for cell in row.cells[:1]
    ]
    assert table_cells == [True]  # a table row is anchored on its first cell


def test_model_clauses_are_tracked_insertions_at_section_ends(annotated_terms: bytes) -> None:
    document_xml, comments_xml = _parts(annotated_terms)
    insertions = re.findall(r"<w:ins [^>]*>", document_xml)
    assert insertions and all(
        'w:author="gapcheck"' in tag and 'w:date="2026-11-21T00:00:00Z"' in tag
        for tag in insertions
    )
    ids = [re.search(r'w:id="(\d+)"', tag).group(1) for tag in insertions]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
    document = open_document(io.BytesIO(annotated_terms))
    texts = _texts(annotated_terms)
    # 7.3 is the last sub-section of section 7: its insertion precedes heading 8.
    review = texts.index(CLAUSE_REVIEW)
    assert texts[review - 1].startswith("Outputs should not be relied on")
    assert texts[review + 1].startswith("8. ")
    # 6.2 is followed by 6.3: the insertion closes sub-section 6.2.
    training = texts.index(CLAUSE_TRAINING)
    assert texts[training + 1] == "6.3 Licence to BrightDesk"
    # No evidence anywhere: under "Suggested additions" at the end of the main document.
    assert texts[-2:] == [ADDITIONS_HEADING, CLAUSE_POLITICS]
    heading = document.paragraphs[len(texts) - 2]
    assert heading.style is not None and heading.style.name == "Heading 1"
    for paragraph, text in zip(document.paragraphs, texts, strict=True):
        if text in (CLAUSE_REVIEW, CLAUSE_TRAINING, CLAUSE_POLITICS, ADDITIONS_HEADING):
            mark = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}")
            assert mark is not None  # rejecting the change removes the whole paragraph
    assert CLAUSE_WEAPONS not in texts  # its evidence is in the AUP, annotated separately
    comments = _comments(comments_xml)
    assert any(c.startswith("Suggested by gapcheck (plan item") for c in comments)


def test_non_docx_input_becomes_a_clean_docx(report: Report) -> None:
    data = annotate_file(report, AUP, main=False)
    document = open_document(io.BytesIO(data))
    texts = _texts(data)
    assert texts[0] == "brightdesk_aup.md"
    assert CLAUSE_WEAPONS in texts and ADDITIONS_HEADING not in texts
    assert CLAUSE_POLITICS not in texts  # additions go to the main (first) document only
    _, comments_xml = _parts(data)
    assert any(c.startswith("Partial: A-PARTIAL") for c in _comments(comments_xml))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("2.") for h in headings)
    assert document.core_properties.title == "brightdesk_aup.md"


def test_annotations_are_deterministic(report: Report, annotated_terms: bytes) -> None:
    assert annotate_file(report, TERMS) == annotated_terms
    assert annotate_file(report, AUP, main=False) == annotate_file(report, AUP, main=False)


def test_targets_for_one_and_several_inputs(tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    assert annotated_targets([TERMS], out) == {TERMS: out}
    assert annotated_targets([TERMS, AUP], out) == {
        TERMS: tmp_path / "brightdesk_terms.annotated.docx",
        AUP: tmp_path / "brightdesk_aup.annotated.docx",
    }
    twin = tmp_path / "brightdesk_terms.md"
    assert annotated_targets([TERMS, twin], tmp_path) == {
        TERMS: tmp_path / "brightdesk_terms.docx.annotated.docx",
        twin: tmp_path / "brightdesk_terms.md.annotated.docx",
    }
    with pytest.raises(UsageError, match=r"\.docx file name or an existing folder"):
        annotated_targets([TERMS], tmp_path / "out.pdf")
    with pytest.raises(UsageError, match="output path is one of the inputs"):
        check_annotation_targets([TERMS], TERMS)


def test_write_annotations_writes_each_input(report: Report, tmp_path: Path) -> None:
    targets = check_annotation_targets([TERMS, AUP], tmp_path / "annotated.docx")
    written = write_annotations(report, targets)
    assert written == [
        tmp_path / "brightdesk_terms.annotated.docx",
        tmp_path / "brightdesk_aup.annotated.docx",
    ]
    assert written[0].read_bytes() == annotate_file(report, TERMS)
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.model
def test_cli_annotates_every_input_and_leaves_them_untouched(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from gapcheck.cli import cli

    before = {path: path.read_bytes() for path in (TERMS, AUP)}
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(TERMS),
            str(AUP),
            "-o",
            str(tmp_path / "report.html"),
            "--annotate",
            str(tmp_path / "annotated.docx"),
            "--date",
            "2026-11-21",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert {path: path.read_bytes() for path in (TERMS, AUP)} == before
    for name in ("brightdesk_terms.annotated.docx", "brightdesk_aup.annotated.docx"):
        document_xml, comments_xml = _parts((tmp_path / name).read_bytes())
        assert "<w:comment " in comments_xml and "<w:ins " in document_xml, name
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
