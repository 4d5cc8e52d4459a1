"""Reading whether a policy file is binding terms or a privacy notice, from real files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from gapcheck.batch import KindPatterns, discover_policy_sets
from gapcheck.document_kind import document_kind, prevailing_kind
from gapcheck.errors import UsageError
from gapcheck.ingest import read_document
from gapcheck.model import DocumentKind
from gapcheck.segment import split_clauses

TERMS_BODY = (
    "By using the Service you agree to these Terms and to our Privacy Policy.\n\n"
    "You may not use the Service to scrape other websites.\n"
)
NOTICE_BODY = "We collect the information you give us when you create an account.\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("privacy_policy.md", f"Privacy Policy\n==============\n\n{NOTICE_BODY}", "notice"),
        ("policy.md", f"Last updated March 2026\n\nAcme Privacy Notice\n\n{NOTICE_BODY}", "notice"),
        ("privacy.md", f"{NOTICE_BODY}", "notice"),
        ("terms.md", f"Terms of Service\n================\n\n{TERMS_BODY}", "terms"),
        ("privacy.md", f"# Terms and Privacy Policy\n\n{TERMS_BODY}", "terms"),
        ("legal.md", f"# Acme legal\n\n{TERMS_BODY}", "terms"),
        ("terms_and_privacy.txt", f"{TERMS_BODY}", "terms"),
    ],
)
def test_the_title_decides_then_the_file_name(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    kind = document_kind(read_document(path))
    assert kind is (DocumentKind.PRIVACY_NOTICE if expected == "notice" else DocumentKind.TERMS)


def test_a_word_notice_marks_every_clause_it_yields(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Privacy Notice", level=1)
    document.add_paragraph("We share personal data with our AI model provider.")
    document.add_paragraph("We keep your prompts for thirty days.")
    path = tmp_path / "statement.docx"
    document.save(str(path))
    clauses = split_clauses(read_document(path))
    assert len(clauses) == 2
    assert {clause.kind for clause in clauses} == {DocumentKind.PRIVACY_NOTICE}


def test_a_pdf_titled_terms_is_terms_whatever_its_file_name(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(text="Terms of Use")
    pdf.ln(12)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text=TERMS_BODY.replace("\n\n", " "))
    path = tmp_path / "privacy.pdf"  # the title, not the name, must decide
    pdf.output(str(path))
    clauses = split_clauses(read_document(path))
    assert clauses and {clause.kind for clause in clauses} == {DocumentKind.TERMS}


def test_a_file_that_holds_a_notice_then_the_terms_is_read_section_by_section(
    tmp_path: Path,
) -> None:
    path = tmp_path / "terms_of_service.md"
    path.write_text(
        f"Privacy Policy\n==============\n\n{NOTICE_BODY}\n"
        f"Terms of Service\n================\n\n{TERMS_BODY}\n"
        "Your Privacy\n------------\n\nYou agree that we may use your data as our notice says.\n",
        encoding="utf-8",
    )
    clauses = split_clauses(read_document(path))
    kinds = {clause.text: clause.kind for clause in clauses}
    assert kinds[NOTICE_BODY.strip()] is DocumentKind.PRIVACY_NOTICE
    assert kinds["You may not use the Service to scrape other websites."] is DocumentKind.TERMS
    # A "Your Privacy" subsection of the terms is still terms: it binds.
    assert kinds["You agree that we may use your data as our notice says."] is DocumentKind.TERMS
    assert prevailing_kind(clauses) is DocumentKind.TERMS


def test_a_numbered_privacy_section_of_the_terms_stays_terms(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    path.write_text(
        "## 8. Acceptable use\n\nYou may not use the Service to scrape other websites.\n\n"
        "## 9. Privacy Policy\n\nYou must not collect other users' personal data.\n",
        encoding="utf-8",
    )
    clauses = split_clauses(read_document(path))
    assert clauses and {clause.kind for clause in clauses} == {DocumentKind.TERMS}


def test_the_users_word_on_a_file_holds_for_every_clause(tmp_path: Path) -> None:
    path = tmp_path / "privacy_policy.md"
    path.write_text(
        f"Privacy Policy\n==============\n\n{NOTICE_BODY}\n"
        f"Terms of Service\n================\n\n{TERMS_BODY}\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert len({clause.kind for clause in split_clauses(document)}) == 2
    forced = split_clauses(document, DocumentKind.TERMS)
    assert {clause.kind for clause in forced} == {DocumentKind.TERMS}


def test_batch_patterns_give_each_operator_its_kinds(tmp_path: Path) -> None:
    folder = tmp_path / "operators"
    for operator in ("acme", "globex"):
        (folder / operator).mkdir(parents=True)
        (folder / operator / "terms.md").write_text(TERMS_BODY, encoding="utf-8")
    (folder / "acme" / "Privacy-Policy.MD").write_text(NOTICE_BODY, encoding="utf-8")
    (folder / "globex" / "data.md").write_text(NOTICE_BODY, encoding="utf-8")
    patterns = KindPatterns(notices=("privacy*", "data.md"), terms=("terms.*",))
    sets = {s.name: dict(s.kinds) for s in discover_policy_sets(folder, patterns)}
    acme, globex = folder / "acme", folder / "globex"
    assert sets["acme"] == {
        acme / "Privacy-Policy.MD": DocumentKind.PRIVACY_NOTICE,
        acme / "terms.md": DocumentKind.TERMS,
    }
    assert sets["globex"][globex / "data.md"] is DocumentKind.PRIVACY_NOTICE
    assert all(not s.kinds for s in discover_policy_sets(folder))  # no patterns: titles decide

    with pytest.raises(UsageError, match=r"--notice-glob 'privcy\*' matches no document"):
        discover_policy_sets(folder, KindPatterns(notices=("privcy*",)))
    with pytest.raises(UsageError, match="matches both --notice-glob and --terms-glob"):
        discover_policy_sets(folder, KindPatterns(notices=("*.md",), terms=("terms*",)))
