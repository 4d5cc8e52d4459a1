"""Segmentation: section numbers, heading paths, lead-ins, sentence splitting, offsets."""

from __future__ import annotations

from pathlib import Path

from gapcheck.ingest.builder import DocumentBuilder
from gapcheck.model import BlockKind, Document
from gapcheck.segment import MAX_CLAUSE_WORDS, section_number, split_clauses, sub_label


def _document(*blocks: tuple[BlockKind, str, int, str]) -> Document:
    builder = DocumentBuilder()
    for kind, text, level, label in blocks:
        builder.add(kind, text, level=level, label=label)
    return builder.build(Path("terms.docx"), "docx", "0" * 64, ())


H, P, L, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW


def test_section_numbers_as_written() -> None:
    assert section_number("4.2 Prohibited uses") == "4.2"
    assert section_number("5. Acceptable Use") == "5"
    assert section_number("Article 5 Liability") == "Article 5"
    assert section_number("Section 12.3. Termination") == "Section 12.3"
    assert section_number("You must be 18.") == ""
    assert section_number("I agree to the terms") == ""
    assert sub_label("(c) scrape the Service;") == "(c)"
    assert sub_label("ii. resell access") == "ii."
    assert sub_label("in the event of") == ""


def test_heading_path_and_sections_follow_structure() -> None:
    document = _document(
        (H, "5. Acceptable Use", 1, ""),
        (H, "5.2 Prohibited Content", 2, ""),
        (P, "You may not use the Service to:", 0, ""),
        (L, "harass or threaten any person;", 0, "(a)"),
        (L, "generate malware.", 0, "(b)"),
        (H, "6. Termination", 1, ""),
        (P, "6.1 We may suspend your account at any time.", 0, ""),
        (P, "This applies to all plans.", 0, ""),
    )
    clauses = split_clauses(document)
    assert [c.text for c in clauses] == [
        "You may not use the Service to:",
        "harass or threaten any person;",
        "generate malware.",
        "6.1 We may suspend your account at any time.",
        "This applies to all plans.",
    ]
    assert [c.section for c in clauses] == ["5.2", "5.2(a)", "5.2(b)", "6.1", "6.1"]
    assert clauses[1].heading == "5. Acceptable Use > 5.2 Prohibited Content"
    assert clauses[3].heading_path == ("6. Termination",)
    # List items are matched with their lead-in but quote only their own text.
    assert clauses[1].lead_in == "You may not use the Service to:"
    assert clauses[1].match_text.startswith("You may not use the Service to: harass")
    assert clauses[3].lead_in == ""
    for clause in clauses:
        assert document.text[clause.start : clause.end] == clause.text


def test_typed_sub_items_get_the_lead_in_and_nested_items_their_parents() -> None:
    document = _document(
        (P, "3.4 Users must not:", 0, ""),
        (P, "(a) upload unlawful content; or", 0, ""),
        (L, "use outputs to:", 0, "1."),
        (L, "train competing models;", 1, "a."),
        (L, "resell access.", 0, "2."),
        (P, "Breach of this section is serious.", 0, ""),
    )
    clauses = split_clauses(document)
    by_text = {c.text: c for c in clauses}
    assert by_text["(a) upload unlawful content; or"].lead_in == "3.4 Users must not:"
    assert by_text["(a) upload unlawful content; or"].section == "3.4(a)"
    assert by_text["train competing models;"].lead_in == "3.4 Users must not: use outputs to:"
    assert by_text["resell access."].lead_in == "3.4 Users must not:"
    assert by_text["Breach of this section is serious."].lead_in == ""


def test_table_rows_carry_the_header_row_as_context() -> None:
    document = _document(
        (H, "2. Eligibility", 1, ""),
        (T, "Plan | Who may use it | Minimum age", 0, ""),
        (T, "Free | Individuals | 13, with parental consent under 18", 0, ""),
    )
    clauses = split_clauses(document)
    assert clauses[1].lead_in == "Plan | Who may use it | Minimum age"
    assert clauses[1].section == "2"


def test_long_paragraphs_are_split_into_sentences_with_exact_offsets() -> None:
    sentence = (
        "You agree that the Service may produce output that is inaccurate, "
        "e.g. wrong facts, and you will check it before use"
    )
    words = len(sentence.split())
    count = MAX_CLAUSE_WORDS // words + 2
    paragraph = " ".join(f"{sentence} number {i}." for i in range(count))
    document = _document((H, "9 Disclaimers", 1, ""), (P, paragraph, 0, ""))
    clauses = split_clauses(document)
    assert len(clauses) == count
    assert all(c.section == "9" for c in clauses)
    assert "e.g. wrong facts" in clauses[0].text  # abbreviation did not end the sentence
    for clause in clauses:
        assert document.text[clause.start : clause.end] == clause.text
        assert clause.text.endswith(".")


def test_headings_are_context_not_clauses() -> None:
    document = _document((H, "Prohibited Uses", 1, ""), (H, "Minors", 2, ""))
    assert split_clauses(document) == []
