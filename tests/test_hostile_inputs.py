"""Hostile, broken and huge inputs through the real command line (issue 6, points 1 and 2).

The corpus is generated here, never downloaded: python-docx and fpdf2 write real files,
zipfile and raw bytes break them, pypdf encrypts them. Each input goes through
``gapcheck analyze`` (click's runner, in-process; a few through ``python -m gapcheck``)
and must end with the documented exit code and exactly one line on stderr that names
the file and the problem, without a traceback.

The embedding model is the session's (``loaded_model``): ``load_model`` is replaced so
the CLI does not load it again. Reading errors happen before the model is needed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import types
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from click.testing import CliRunner, Result
from fpdf import FPDF
from PIL import Image

from gapcheck.cli import cli
from gapcheck.errors import ExitCode, InputError
from gapcheck.ingest import read_document

TERMS = (
    "1. Eligibility\n\n1.1 You must be at least 18 years old to use the Service.\n\n"
    "2. Acceptable use\n\nYou must not use the Service to create malware, to harass other "
    "people or to generate sexual content involving minors.\n"
)
SECRET = "TOPSECRET-7f3a"


# -- corpus builders -----------------------------------------------------------------


def docx_data(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs or ("You must be at least 18 years old to use the Service.",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_data(pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Section {page + 1}. You must not misuse the Service. " * 3)
    return bytes(pdf.output())


def rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """A copy of the DOCX ``data`` with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, replace.get(item.filename, source.read(item)))
        for name, content in (add or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(doctype: str, body_text: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W_NS}><w:body>'
        f"<w:p><w:r><w:t>{body_text}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def billion_laughs_docx() -> bytes:
    entities = '<!ENTITY e0 "lol lol lol lol lol lol lol lol lol lol">' + "".join(
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    )
    xml = document_xml(f"<!DOCTYPE w:document [{entities}]>", "Terms apply. &e9;")
    return rezip(docx_data(), {"word/document.xml": xml})


def external_entity_docx(secret_file: Path) -> bytes:
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret_file}">]>'
    xml = document_xml(doctype, "Terms apply. &x;")
    return rezip(docx_data(), {"word/document.xml": xml})


def zip_bomb_docx() -> bytes:
    """110 MiB of zeros compressed to about 100 KiB, over the 100 MiB default."""
    return rezip(docx_data(), {}, {"word/media/bomb.bin": bytes(110 * 1024 * 1024)})


def lying_zip_docx() -> bytes:
    """The main part declares 40 bytes but inflates to 4 MiB: zipfile must not believe it."""
    big = document_xml("", "You must be 18. " * 250_000)
    data = bytearray(rezip(docx_data(), {"word/document.xml": big}))
    name = b"word/document.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = (40).to_bytes(4, "little")
            start += 4
    return bytes(data)


def ole_container(*streams: str) -> bytes:
    """Bytes shaped like an OLE file: how Office stores a password-protected DOCX."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return header + directory + b"\x00" * 1024


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_data())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (300, 120), "white"), x=10, y=10, w=150)
    return bytes(pdf.output())


def many_pages_pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table around hand-written objects."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_CONTENT = b"BT /F1 12 Tf 72 712 Td (You must be 18 or older to use the Service.) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def page_tree_loop_pdf() -> bytes:
    """The page tree lists itself among its kids: a naive walk never ends."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_CONTENT),
            _FONT,
        ]
    )


def form_loop_pdf() -> bytes:
    """A form XObject that draws itself: text extraction must not recurse forever."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources 6 0 R >>",
            _stream(_CONTENT + b" /X1 Do"),
            _FONT,
            b"<< /Font << /F1 5 0 R >> /XObject << /X1 7 0 R >> >>",
            _stream(
                b"BT /F1 12 Tf 72 600 Td (Users must keep passwords secret.) Tj ET /X1 Do",
                b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources 6 0 R",
            ),
        ]
    )


def nested_html() -> bytes:
    scripts = f"<script>document.write('{SECRET}')</script><style>p{{}}</style>" * 1000
    return (
        "<html><body>"
        + "<div><span>" * 50_000
        + "<p>You must be at least 18 years old to use the Service.</p>"
        + scripts
        + "</span></div>" * 50_000
        + "</body></html>"
    ).encode()


GERMAN = (
    "Sie dürfen den Dienst nicht nutzen, um Schadsoftware zu erstellen oder andere Personen "
    "zu belästigen. Wir können Ihr Konto sperren, wenn Sie gegen diese Bedingungen "
    "verstoßen. Nutzer müssen mindestens 18 Jahre alt sein. Die Nutzung der Ausgaben "
    "erfolgt auf eigenes Risiko, und wir übernehmen keine Haftung für Schäden.\n"
)


# -- running the CLI -----------------------------------------------------------------


@pytest.fixture
def run(loaded_model: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Invoke the real CLI in-process, with the session's model instead of a new load."""
    monkeypatch.setattr("gapcheck.pipeline.load_model", lambda *args, **kwargs: loaded_model)

    def invoke(*arguments: str) -> Result:
        return CliRunner().invoke(cli, list(arguments), catch_exceptions=True)

    yield invoke


def error_line(result: Result) -> str:
    """The single stderr line of a failed run; fails on tracebacks or extra lines."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gapcheck: error: "), lines[0]
    return lines[0]


def analyze_json(run: Callable[..., Result], *inputs: Path, extra: tuple[str, ...] = ()) -> Any:
    result = run(
        "analyze", *map(str, inputs), "--vendor", "openai", "--format", "json", "-q", *extra
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


# -- unreadable inputs: exit 3, one line naming the file and the problem -------------

INPUT_ERRORS: list[tuple[str, str, Callable[[Path], bytes], str]] = [
    ("empty", "empty.docx", lambda _: b"", r"file is empty"),
    ("blank text", "blank.txt", lambda _: b" \n\t\n", r"no text found"),
    ("corrupt DOCX", "corrupt.docx", lambda _: b"PK\x03\x04" + os.urandom(2000), r"corrupt"),
    (
        "truncated DOCX",
        "truncated.docx",
        lambda _: docx_data("Some text. " * 300)[:3000],
        r"corrupt or truncated DOCX",
    ),
    (
        "corrupt PDF",
        "corrupt.pdf",
        lambda _: b"%PDF-1.7\n" + b"this is not a pdf body\n" * 50,
        r"corrupt or truncated PDF",
    ),
    (
        "truncated PDF",
        "truncated.pdf",
        lambda _: pdf_data()[:400],
        r"corrupt or truncated PDF|no text",
    ),
    (
        "password DOCX",
        "locked.docx",
        lambda _: ole_container("Root Entry", "EncryptionInfo", "EncryptedPackage"),
        r"password-protected; remove the password",
    ),
    ("password PDF", "locked.pdf", lambda _: encrypted_pdf(), r"password-protected"),
    ("image-only PDF", "scan.pdf", lambda _: image_only_pdf(), r"no text layer.*run OCR first"),
    ("DOCX zip bomb", "bomb.docx", lambda _: zip_bomb_docx(), r"too large when unpacked"),
    ("DOCX lying sizes", "lying.docx", lambda _: lying_zip_docx(), r"corrupt"),
    (
        "DOCX billion laughs",
        "laughs.docx",
        lambda _: billion_laughs_docx(),
        r"unsafe DOCX \(word/document\.xml declares a DTD",
    ),
    (
        "DOCX external entity",
        "xxe.docx",
        lambda folder: external_entity_docx(folder / "secret.txt"),
        r"unsafe DOCX",
    ),
    (
        "PDF with 2,100 pages",
        "long.pdf",
        lambda _: many_pages_pdf(2100),
        r"too many pages \(2,100; the limit is 2,000, see --max-pages\)",
    ),
    (
        "PDF page-tree loop",
        "loop.pdf",
        lambda _: page_tree_loop_pdf(),
        r"corrupt or truncated PDF \(.*cyclic",
    ),
    ("binary junk", "junk.txt", lambda _: os.urandom(4096), r"not a supported document"),
    ("ELF binary", "program", lambda _: b"\x7fELF\x02\x01\x01" + bytes(64) * 20, r"binary"),
    (
        "legacy .doc",
        "old.doc",
        lambda _: ole_container("Root Entry", "WordDocument"),
        r"legacy Office file",
    ),
    (
        "ZIP that is not Word",
        "sheet.docx",
        lambda _: _plain_zip(),
        r"ZIP archive but not a Word document",
    ),
]


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "builder", "problem"),
    [(name, builder, problem) for _, name, builder, problem in INPUT_ERRORS],
    ids=[case[0] for case in INPUT_ERRORS],
)
def test_unreadable_input_is_one_line_exit_3(
    run: Callable[..., Result],
    tmp_path: Path,
    name: str,
    builder: Callable[[Path], bytes],
    problem: str,
) -> None:
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(builder(tmp_path))
    result = run("analyze", str(path), "--vendor", "openai", "--format", "json", "-q")
    line = error_line(result)
    assert result.exit_code == ExitCode.INPUT, line
    assert f"{path}: " in line, line
    assert re.search(problem, line), line
    assert SECRET not in result.output


def test_directory_missing_and_unreadable_files(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "terms.docx"
    folder.mkdir()
    line = error_line(result := run("analyze", str(folder), "--format", "json"))
    assert result.exit_code == ExitCode.INPUT and "is a directory, not a document" in line

    missing = tmp_path / "missing.pdf"
    line = error_line(result := run("analyze", str(missing), "--format", "json"))
    assert result.exit_code == ExitCode.INPUT and f"{missing}: file not found" in line

    locked = tmp_path / "locked.txt"
    locked.write_text(TERMS, encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real_read = Path.read_bytes

        def deny(self: Path) -> bytes:
            if self == locked:
                raise PermissionError(13, "Permission denied")
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", deny)
    else:
        locked.chmod(0)
    line = error_line(result := run("analyze", str(locked), "--format", "json"))
    assert result.exit_code == ExitCode.INPUT and f"{locked}: permission denied" in line


def test_xml_entities_are_never_expanded(tmp_path: Path) -> None:
    """Billion laughs and external entities: a clean refusal, and the secret never read."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    for name, data in (
        ("laughs.docx", billion_laughs_docx()),
        ("xxe.docx", external_entity_docx(secret_file)),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as caught:
            read_document(path)
        assert "unsafe DOCX" in str(caught.value) and SECRET not in str(caught.value)
    # Even past the DTD check (python-docx's own parser), entities stay unexpanded.
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    xml = document_xml(
        f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret_file}">]>', "a &x; b"
    )
    parsed = etree.tostring(etree.fromstring(xml, oxml_parser))
    assert SECRET.encode() not in parsed


# -- limits: documented defaults, options, exit 3 --------------------------------------


def test_limit_options_refuse_with_the_option_to_raise(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    text = tmp_path / "terms.txt"
    text.write_text(TERMS * 40, encoding="utf-8")
    line = error_line(
        result := run("analyze", str(text), "--format", "json", "--max-file-mb", "0.001")
    )
    assert result.exit_code == ExitCode.INPUT
    assert f"{text}: file is too large" in line and "--max-file-mb" in line

    line = error_line(result := run("analyze", str(text), "--format", "json", "--max-clauses", "5"))
    assert result.exit_code == ExitCode.INPUT
    assert f"{text}: too many clauses" in line and "--max-clauses" in line

    pdf = tmp_path / "terms.pdf"
    pdf.write_bytes(pdf_data(pages=12))
    line = error_line(result := run("analyze", str(pdf), "--format", "json", "--max-pages", "10"))
    assert result.exit_code == ExitCode.INPUT
    assert f"{pdf}: too many pages (12; the limit is 10, see --max-pages)" in line

    big = tmp_path / "big.docx"
    big.write_bytes(rezip(docx_data(), {}, {"word/media/filler.bin": os.urandom(2 * 1024**2)}))
    line = error_line(
        result := run("analyze", str(big), "--format", "json", "--max-unpacked-mb", "1")
    )
    assert result.exit_code == ExitCode.INPUT
    assert f"{big}: DOCX is too large when unpacked" in line and "--max-unpacked-mb" in line

    bad = run("analyze", str(text), "--format", "json", "--max-pages", "0")
    assert bad.exit_code == ExitCode.USAGE and "Traceback" not in bad.output


def test_clause_limit_counts_the_whole_policy_set(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    first, second = tmp_path / "terms.md", tmp_path / "aup.md"
    first.write_text(TERMS, encoding="utf-8")
    second.write_text(TERMS, encoding="utf-8")
    clauses = len(read_document(first).blocks)
    result = run(
        "analyze", str(first), str(second), "--format", "json", "--max-clauses", str(clauses + 1)
    )
    line = error_line(result)
    assert result.exit_code == ExitCode.INPUT and f"{second}: too many clauses" in line


def test_limits_help_documents_defaults(run: Callable[..., Result]) -> None:
    for command in ("analyze", "batch"):
        text = " ".join(run(command, "--help").output.split())
        for option, default in (
            ("--max-file-mb", "50"),
            ("--max-unpacked-mb", "100"),
            ("--max-pages", "2000"),
            ("--max-clauses", "20000"),
        ):
            assert option in text and f"default: {default}" in text, (command, option)


# -- readable oddities: analysed, with a warning where the user should know -----------


@pytest.mark.model
def test_odd_but_readable_inputs_are_analysed(run: Callable[..., Result], tmp_path: Path) -> None:
    cases: dict[str, tuple[bytes, str, str]] = {
        # name: (bytes, expected format, expected warning fragment or "")
        "terms.pdf": (docx_data(TERMS), "docx", ""),  # a DOCX saved with a .pdf name
        "terms": (pdf_data(), "pdf", ""),  # no extension at all
        "aup.txt": (b"<!DOCTYPE html><html><body><p>" + TERMS.encode() + b"</p>", "html", ""),
        "utf16.txt": (TERMS.encode("utf-16"), "text", ""),
        "utf16-nobom.txt": (TERMS.encode("utf-16-le"), "text", "no byte-order mark"),
        "latin1.txt": ((TERMS + "Caf\u00e9 \u00a9\n").encode("latin-1"), "text", "UTF-8"),
        "invalid.txt": (TERMS.encode() + b"\xff\xfe\xc3(\n", "text", "not valid UTF-8"),
        "german.txt": (GERMAN.encode(), "text", "does not look like English"),
        "nested.html": (nested_html(), "html", ""),
        "form-loop.pdf": (form_loop_pdf(), "pdf", "damaged PDF structure"),
    }
    for name, (data, fmt, warning) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        report = analyze_json(run, path)
        document = report["documents"][0]
        assert document["format"] == fmt, name
        warnings = " ".join(document["warnings"])
        assert warning in warnings if warning else not warnings, (name, warnings)
        assert SECRET not in json.dumps(report), name


def test_scripts_and_deep_nesting_do_not_reach_the_text(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_bytes(nested_html())
    document = read_document(path)
    assert document.text == "You must be at least 18 years old to use the Service."


# -- outputs --------------------------------------------------------------------------


def test_output_problems(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = tmp_path / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")

    missing = tmp_path / "no" / "such" / "report.json"
    line = error_line(result := run("analyze", str(terms), "-o", str(missing)))
    assert result.exit_code == ExitCode.OUTPUT and f"{missing}: output folder" in line

    line = error_line(result := run("analyze", str(terms), "-o", str(terms), "--format", "md"))
    assert result.exit_code == ExitCode.USAGE and "output path is one of the inputs" in line

    (tmp_path / "sub").mkdir()
    alias = tmp_path / "sub" / ".." / "terms.md"
    line = error_line(result := run("analyze", str(terms), "-o", str(alias), "--format", "md"))
    assert result.exit_code == ExitCode.USAGE and str(alias) in line

    link = tmp_path / "link.md"
    link.symlink_to(terms)
    line = error_line(result := run("analyze", str(terms), "-o", str(link), "--format", "md"))
    assert result.exit_code == ExitCode.USAGE and "output path is one of the inputs" in line
    assert terms.read_text(encoding="utf-8") == TERMS

    folder = tmp_path / "out.json"
    folder.mkdir()
    line = error_line(result := run("analyze", str(terms), "-o", str(folder)))
    assert result.exit_code == ExitCode.OUTPUT and "is a directory" in line


@pytest.mark.model
def test_unwritable_output_folder(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms = tmp_path / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: fail the way a read-only folder does

        def refuse(*args: object, **kwargs: object) -> Any:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("gapcheck.outputs.tempfile", types.SimpleNamespace(mkstemp=refuse))
    else:
        locked.chmod(0o500)
    target = locked / "report.json"
    line = error_line(result := run("analyze", str(terms), "-o", str(target), "--vendor", "openai"))
    assert result.exit_code == ExitCode.OUTPUT
    assert f"{target}: cannot write" in line and "Permission denied" in line
    assert list(locked.iterdir()) == []


# -- batch: a bad document never stops the others ------------------------------------


@pytest.mark.model
def test_batch_lists_every_bad_document_and_finishes_the_rest(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    folder = tmp_path / "operators"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")
    (folder / "acme" / "aup.docx").write_bytes(docx_data(TERMS))
    (folder / "zeta.md").write_text(TERMS, encoding="utf-8")
    bad = {
        "bomb": ("bomb.docx", zip_bomb_docx(), "too large when unpacked"),
        "empty": ("empty.pdf", b"", "file is empty"),
        "locked": ("locked.pdf", encrypted_pdf(), "password-protected"),
        "scan": ("scan.pdf", image_only_pdf(), "no text layer"),
        "junk": ("junk.bin", os.urandom(3000), "not a supported document"),
    }
    for operator, (name, data, _) in bad.items():
        (folder / operator).mkdir()
        (folder / operator / name).write_bytes(data)
    (folder / "mixed").mkdir()  # one good and one bad document: the operator fails
    (folder / "mixed" / "terms.md").write_text(TERMS, encoding="utf-8")
    (folder / "mixed" / "laughs.docx").write_bytes(billion_laughs_docx())
    bad["mixed"] = ("laughs.docx", b"", "unsafe DOCX")
    (folder / "nothing").mkdir()
    bad["nothing"] = ("", b"", "folder has no documents")

    out = tmp_path / "out"
    result = run(
        "batch", str(folder), "-o", str(out), "--format", "json", "--vendor", "openai", "-q"
    )
    assert result.exit_code == ExitCode.INPUT, result.output
    assert "Traceback" not in result.output
    stderr = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(stderr) == len(bad), stderr
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = {row["operator"]: row for row in csv.DictReader(handle)}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_operator = {row["operator"]: row for row in summary["operators"]}
    assert summary["failed"] == len(bad)
    for operator in ("acme", "zeta"):
        assert rows[operator]["result"] == "ok" and (out / f"{operator}.json").is_file()
    for operator, (name, _, problem) in bad.items():
        for row in (rows[operator], by_operator[operator]):
            assert row["result"] == "error", operator
            assert problem in row["error"] and name in row["error"], row["error"]
            assert "\n" not in row["error"]
        assert any(problem in line for line in stderr), (operator, stderr)
        assert not (out / f"{operator}.json").exists()


# -- real subprocesses: the installed entry point, --debug ----------------------------


def _gapcheck(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gapcheck", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_subprocess_errors_are_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"garbage\n" * 40)
    quiet = _gapcheck("analyze", str(corrupt), "--format", "json", "-q")
    assert quiet.returncode == ExitCode.INPUT
    lines = quiet.stderr.strip().splitlines()
    assert len(lines) == 1, quiet.stderr
    assert lines[0].startswith(f"gapcheck: error: {corrupt}: corrupt or truncated PDF")
    assert "Traceback" not in quiet.stderr
    assert quiet.stdout == ""

    debug = _gapcheck("analyze", str(corrupt), "--format", "json", "--debug")
    assert debug.returncode != ExitCode.OK
    assert "Traceback" in debug.stderr and "InputError" in debug.stderr


@pytest.mark.model
def test_reading_warnings_are_also_shown_on_stderr(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    german = tmp_path / "agb.txt"
    german.write_bytes(GERMAN.encode("latin-1", errors="replace"))
    result = run("analyze", str(german), "--vendor", "openai", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert any("decoded as Windows-1252" in line for line in warnings), warnings
    assert any("does not look like English" in line for line in warnings), warnings
    assert all(line.startswith(f"gapcheck: warning: {german}: ") for line in warnings)
    quiet = run("analyze", str(german), "--vendor", "openai", "--format", "json", "-q")
    assert quiet.stderr == ""


@pytest.mark.model
def test_batch_operator_folder_that_cannot_be_listed(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "operators"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "terms.md").write_text(TERMS, encoding="utf-8")
    (folder / "private").mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "private":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    out = tmp_path / "out"
    result = run(
        "batch", str(folder), "-o", str(out), "--format", "json", "--vendor", "openai", "-q"
    )
    assert result.exit_code == ExitCode.INPUT, result.output
    assert error_line(result).endswith("private: cannot list folder (Permission denied)")
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = {row["operator"]: row for row in csv.DictReader(handle)}
    assert rows["acme"]["result"] == "ok" and rows["private"]["result"] == "error"


def test_huge_list_counter_does_not_multiply_the_text(tmp_path: Path) -> None:
    """Regression: Word's letter style repeats a letter n/26 times, so ``w:start`` of
    999,999,999 made every label 38 million characters long (found while writing
    fuzz/fuzz_readers.py, whose text-amplification check catches it)."""
    from ingest_fixtures import add_abstract_numbering, add_num, new_docx, number

    document = new_docx()
    add_abstract_numbering(document, 90, [("lowerLetter", "%1.")])
    num_id = add_num(document, 91, 90, restart_at=999_999_999)
    for index in range(200):
        number(document.add_paragraph(f"Item {index} of the hostile list."), num_id)
    path = tmp_path / "counter.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    result = read_document(path)
    assert result.blocks[0].label == "999999999." and result.blocks[1].label == "1000000000."
    assert len(result.text) < 20_000
