"""Mutation fuzzer for the DOCX, PDF and HTML readers (not run in CI).

Usage:  python fuzz/fuzz_readers.py --seconds 1800 [--seed N] [--formats docx,pdf,html]

Seed documents are generated here (python-docx, fpdf2, pypdf, hand-written HTML) and
then mutated: bytes flipped, deleted, duplicated or spliced, format tokens inserted
("<<", "/Kids", "<w:numPr>", "<ol start=...>"), and for DOCX the XML parts mutated
inside a valid ZIP so the mutations reach the reader instead of failing the CRC check.
Each mutant goes through :func:`gapcheck.ingest.read_document` (detection, reader,
builder) and :func:`gapcheck.segment.split_clauses`.

What counts as a crash, and why:

* any exception that is not a :class:`~gapcheck.errors.GapcheckError` (the CLI would
  report it as an internal error, exit 70);
* a ``GapcheckError`` whose cause was raised by gapcheck's own code rather than by a
  parsing library: the reader's safety net hid a bug of ours as "corrupt file";
* a ``MemoryError`` anywhere, or one input taking longer than ``--timeout`` seconds;
* a successful read that breaks the documented offsets (``text[start:end] == text``).

Crashing inputs are saved under ``fuzz/crashes/`` (git-ignored) with a ``.txt`` file
holding the traceback; a JSON summary of the run is printed at the end.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gapcheck.errors import GapcheckError  # noqa: E402
from gapcheck.ingest import read_document  # noqa: E402
from gapcheck.model import Document  # noqa: E402
from gapcheck.segment import split_clauses  # noqa: E402

CRASH_DIR = ROOT / "fuzz" / "crashes"
GAPCHECK_DIR = str(ROOT / "gapcheck")
MEMORY_LIMIT_BYTES = 4 * 1024**3
"""Address-space cap so a memory blow-up is a MemoryError here, not a frozen machine."""

TOKENS: dict[str, list[bytes]] = {
    "pdf": [
        b"<<",
        b">>",
        b"[",
        b"]",
        b" 0 R",
        b"1 0 R ",
        b"2 0 R ",
        b"3 0 R ",
        b"/Kids [2 0 R 2 0 R]",
        b"/Parent 2 0 R",
        b"/Count 999999999",
        b"/Length 999999999",
        b"/Filter /FlateDecode",
        b"/Type /Pages",
        b"/Resources << >>",
        b"obj",
        b"endobj",
        b"stream\n",
        b"endstream",
        b"xref",
        b"trailer",
        b"startxref",
        b"%%EOF",
        b"BT ",
        b" ET",
        b"(text) Tj ",
        b"[(a) -9999 (b)] TJ ",
        b" Tf ",
        b" Td ",
        b" Tm ",
        b"/F1 ",
        b"-1",
        b"0",
        b"99999999999999999999",
        b"1e308",
        b"\\",
        b"(",
        b")",
        b"\x00",
        b"\xff",
    ],
    "html": [
        b"<ol>",
        b"</ol>",
        b"<ul>",
        b"</ul>",
        b"<li>",
        b"</li>",
        b'<ol start="999999999999" type="a">',
        b'<ol start="-5" type="i" reversed>',
        b'<li value="99999999999999999999">',
        b'<ol type="I" start="3999">',
        b"<table>",
        b"</table>",
        b"<tr>",
        b"<td>",
        b"</td>",
        b"<th>",
        b"<h1>",
        b"</h1>",
        b"<h7>",
        b"<p>",
        b"</p>",
        b"<br>",
        b"<script>",
        b"</script>",
        b"<style>",
        b"<!--",
        b"-->",
        b"<![CDATA[",
        b"<div hidden>",
        b'<div aria-hidden="true">',
        b"</div>",
        b"<header>",
        b"</header>",
        b"<article>",
        b"&#x10FFFF;",
        b"&#0;",
        b"&#xD800;",
        b"&amp",
        b"&",
        b"<",
        b">",
        b"\x00",
        b"\xc3",
        b"\r",
    ],
    "docx": [
        b"<w:p>",
        b"</w:p>",
        b"<w:r><w:t>",
        b"</w:t></w:r>",
        b'<w:numPr><w:ilvl w:val="9"/><w:numId w:val="1"/></w:numPr>',
        b'<w:numPr><w:ilvl w:val="-3"/><w:numId w:val="0"/></w:numPr>',
        b'<w:start w:val="999999999"/>',
        b'<w:start w:val="-7"/>',
        b'<w:numFmt w:val="lowerLetter"/>',
        b'<w:numFmt w:val="upperRoman"/>',
        b'<w:lvlText w:val="%1.%2.%9"/>',
        b'<w:lvlRestart w:val="0"/>',
        b'<w:pStyle w:val="Heading1"/>',
        b'<w:outlineLvl w:val="99"/>',
        b'<w:basedOn w:val="Normal"/>',
        b'<w:numStyleLink w:val="ListNumber"/>',
        b"<w:tbl><w:tr><w:tc>",
        b"</w:tc></w:tr></w:tbl>",
        b"<w:sdt><w:sdtContent>",
        b"</w:sdtContent></w:sdt>",
        b"<w:del>",
        b"<w:vanish/>",
        b"<w:tab/>",
        b'w:val="',
        b'"',
        b"<",
        b">",
        b"/>",
        b"\x00",
        b"&#0;",
        b"99999999999999999999",
    ],
}


class Timeout(BaseException):
    """Raised by the alarm when one input runs too long (BaseException: readers catch Exception)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout


# -- seeds ---------------------------------------------------------------------------


def docx_seeds() -> list[bytes]:
    """Word documents using headings, numbered and bulleted lists, tables and breaks."""
    import docx

    seeds: list[bytes] = []
    document = docx.Document()
    document.add_heading("Terms of Service", level=0)
    document.add_heading("1. Acceptable use", level=1)
    document.add_paragraph("You must not use the Service to:")
    for item in ("create malware;", "harass others;", "generate content involving minors."):
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("Bullets follow.", style="List Bullet")
    document.add_paragraph("Nested bullet.", style="List Bullet 2")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Plan"
    table.cell(0, 1).text = "Limit"
    table.cell(1, 0).text = "Free"
    table.cell(1, 1).text = "10 requests"
    paragraph = document.add_paragraph("Tabs\tand ")
    paragraph.add_run("bold").bold = True
    paragraph.add_run().add_break()
    paragraph.add_run("after a break.")
    document.add_heading("2. Termination", level=2)
    document.add_paragraph("We may suspend accounts that break these Terms. " * 5)
    buffer = io.BytesIO()
    document.save(buffer)
    seeds.append(buffer.getvalue())
    small = docx.Document()
    small.add_paragraph("You must be 18 or older.")
    buffer = io.BytesIO()
    small.save(buffer)
    seeds.append(buffer.getvalue())
    return seeds


def pdf_seeds() -> list[bytes]:
    """PDFs with several pages, running headers, an uncompressed one and an encrypted one."""
    import pypdf
    from fpdf import FPDF

    seeds: list[bytes] = []
    for compress in (False, True):
        pdf = FPDF()
        pdf.set_compression(compress)
        pdf.set_font("helvetica", size=11)
        for page in range(3):
            pdf.add_page()
            pdf.cell(0, 8, "ACME Terms of Service", new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(
                0,
                6,
                f"{page + 1}. Section {page + 1}\n(a) You must not misuse the Service; "
                "accounts may be suspended.\n- a bullet item\nA paragraph that wraps " * 2,
            )
            pdf.cell(0, 8, f"Page {page + 1} of 3", align="C")
        seeds.append(bytes(pdf.output()))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(seeds[0])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    seeds.append(buffer.getvalue())
    return seeds


def html_seeds() -> list[bytes]:
    """Pages with site furniture, nested lists, tables and entities."""
    page = """<!DOCTYPE html><html><head><title>Terms</title><style>p{}</style>
<script>var x = "<p>not text</p>";</script></head><body><nav>Home | Pricing</nav>
<article><header><h1>Terms of Service</h1></header><h2>1. Use</h2>
<p>You may not:</p><ol type="a" start="3"><li>misuse the Service;<ol type="i">
<li>nested item</li><li value="7">valued</li></ol></li><li>reverse engineer it.</li></ol>
<table><tr><th>Plan</th><th>Limit</th></tr><tr><td>Free</td><td>10 &amp; more</td></tr>
<tr><td><table><tr><td><h3>Layout</h3></td></tr></table></td></tr></table>
<div hidden>secret</div><p>Line<br>break &eacute; &#8212; done.</p><ul><li>bullet</ul>
</article><footer>Copyright</footer></body></html>"""
    fragment = "<p>Fragment <b>without</b> html element<li>loose item<h2>Heading</p>"
    return [page.encode("utf-8"), fragment.encode("utf-8")]


# -- mutation ------------------------------------------------------------------------


def mutate_bytes(data: bytes, rng: random.Random, tokens: list[bytes], pool: list[bytes]) -> bytes:
    """Apply one to eight random byte-level edits (AFL-style havoc)."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buffer:
            buffer.extend(rng.choice(tokens))
            continue
        position = rng.randrange(len(buffer))
        choice = rng.randrange(9)
        if choice == 0:
            buffer[position] ^= 1 << rng.randrange(8)
        elif choice == 1:
            buffer[position] = rng.choice((0, 0xFF, 0x7F, 0x80, 0x20, 0x0A, rng.randrange(256)))
        elif choice == 2:
            end = min(len(buffer), position + rng.choice((1, 2, 4, 16, 64, 512)))
            del buffer[position:end]
        elif choice == 3:
            end = min(len(buffer), position + rng.choice((1, 8, 64, 512)))
            chunk = bytes(buffer[position:end])
            buffer[position:position] = chunk * rng.choice((1, 2, 16, 256))
        elif choice in (4, 5):
            buffer[position:position] = rng.choice(tokens)
        elif choice == 6:
            other = rng.choice(pool)
            if other:
                start = rng.randrange(len(other))
                buffer[position:position] = other[start : start + rng.randint(1, 256)]
        elif choice == 7:
            del buffer[rng.randrange(len(buffer)) :]  # truncation
        else:
            digits = str(rng.choice((0, -1, 2**31, 2**32 + 1, 10**12, rng.randrange(10**6))))
            buffer[position:position] = digits.encode()
    return bytes(buffer)


WORD_TAGS = (
    "p",
    "r",
    "t",
    "tbl",
    "tr",
    "tc",
    "numPr",
    "ilvl",
    "numId",
    "pPr",
    "pStyle",
    "sdt",
    "sdtContent",
    "del",
    "ins",
    "br",
    "tab",
    "lvl",
    "num",
    "abstractNum",
    "abstractNumId",
    "start",
    "numFmt",
    "lvlText",
    "style",
    "basedOn",
    "name",
    "body",
)
INTERESTING_VALUES = (
    "0",
    "1",
    "-1",
    "8",
    "9",
    "99",
    "999999999",
    "2147483648",
    "",
    "lowerLetter",
    "upperRoman",
    "bullet",
    "none",
    "decimalZero",
    "ordinal",
    "%1.%2.%3.%4.%5.%6.%7.%8.%9",
    "Heading1",
    "Title",
    "ListNumber",
    "x" * 300,
)


def mutate_xml(data: bytes, rng: random.Random) -> bytes:
    """Edit a well-formed XML part as a tree, so the edit survives parsing and reaches the walker.

    Elements are duplicated, deleted, moved, renamed to another WordprocessingML tag, or
    given an interesting attribute value.
    """
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return data
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for _ in range(rng.randint(1, 4)):
        element = rng.choice(elements)
        parent = element.getparent()
        choice = rng.randrange(6)
        if choice == 0 and parent is not None:
            for _ in range(rng.choice((1, 1, 2, 50))):
                parent.insert(parent.index(element), copy.deepcopy(element))
        elif choice == 1 and parent is not None:
            parent.remove(element)
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
        elif choice == 2 and parent is not None:
            target = rng.choice(elements)
            if element is not target and element not in target.iterancestors():
                parent.remove(element)
                target.append(element)
        elif choice == 3:
            element.tag = f"{{{w_ns}}}{rng.choice(WORD_TAGS)}"
        else:
            name = rng.choice(("val", "ilvl", "numId", "abstractNumId", "styleId", "type"))
            element.set(f"{{{w_ns}}}{name}", rng.choice(INTERESTING_VALUES))
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


def mutate_docx(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """Mutate the XML parts inside the ZIP (most of the time) or the ZIP bytes themselves."""
    if rng.random() < 0.15:
        return mutate_bytes(data, rng, TOKENS["docx"], pool)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
    except Exception:
        return mutate_bytes(data, rng, TOKENS["docx"], pool)
    if not parts:
        return mutate_bytes(data, rng, TOKENS["docx"], pool)
    xml_parts = [name for name in parts if name.endswith(".xml")] or list(parts)
    preferred = [n for n in xml_parts if n.startswith("word/")]
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(preferred if preferred and rng.random() < 0.8 else xml_parts)
        if rng.random() < 0.6:
            parts[name] = mutate_xml(parts[name], rng)
        else:
            parts[name] = mutate_bytes(parts[name], rng, TOKENS["docx"], list(parts.values()))
    if rng.random() < 0.05 and parts:
        del parts[rng.choice(list(parts))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# -- running -------------------------------------------------------------------------


@dataclass
class Stats:
    """Counts for the summary: executions, outcomes per format, crashes by signature."""

    executions: int = 0
    by_format: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: dict[str, str] = field(default_factory=dict)


def _innermost_frame_file(tb: TracebackType | None) -> str:
    filename = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return filename


def _our_bug(error: BaseException) -> BaseException | None:
    """The exception behind ``error`` that gapcheck's own code raised by mistake, if any."""
    seen: set[int] = set()
    current: BaseException | None = error.__cause__ or error.__context__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return current
        if not isinstance(current, (GapcheckError, RecursionError)) and _innermost_frame_file(
            current.__traceback__
        ).startswith(GAPCHECK_DIR):
            return current
        current = current.__cause__ or current.__context__
    return None


AMPLIFICATION = 200
"""Extracted text this many times larger than the input means a reader multiplies input
(e.g. a list counter rendered as millions of letters): a memory attack, so a crash."""


def _check_offsets(document: Document, size: int) -> None:
    if len(document.text) > max(100_000, AMPLIFICATION * size):
        raise AssertionError(
            f"extracted text is {len(document.text):,} characters from {size:,} bytes"
        )
    for block in document.blocks:
        if document.text[block.start : block.end] != block.text:
            raise AssertionError(f"block offsets do not match the text: {block}")
    for clause in split_clauses(document):
        if document.text[clause.start : clause.end] != clause.text:
            raise AssertionError(f"clause offsets do not match the text: {clause}")


def run_one(path: Path, data: bytes, timeout: float) -> tuple[str, BaseException | None]:
    """Read one input; return an outcome label and the crash, if it is one."""
    path.write_bytes(data)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        document = read_document(path)
        _check_offsets(document, len(data))
        return f"ok:{document.format}", None
    except GapcheckError as error:
        bug = _our_bug(error)
        label = str(error).removeprefix(str(path) + ": ")[:40]
        return f"error:{label}", bug
    except Timeout:
        return "timeout", TimeoutError(f"input took longer than {timeout} s")
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        return f"crash:{type(error).__name__}", error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _signature(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(GAPCHECK_DIR)]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    location = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    return f"{type(error).__name__}@{location}"


def save_crash(fmt: str, data: bytes, error: BaseException, stats: Stats) -> None:
    """Keep the input and its traceback; count it once per signature."""
    signature = _signature(error)
    digest = hashlib.sha256(data).hexdigest()[:16]
    CRASH_DIR.mkdir(parents=True, exist_ok=True)
    if signature in stats.crashes:
        return
    target = CRASH_DIR / f"{digest}.{fmt}"
    target.write_bytes(data)
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    target.with_suffix(f".{fmt}.txt").write_text(f"{signature}\n\n{details}", encoding="utf-8")
    stats.crashes[signature] = target.name
    print(f"crash {signature} -> {target}", flush=True)


def summary(stats: Stats, seconds: float, seed: int) -> dict[str, object]:
    """The figures recorded in fuzz/README.md."""
    return {
        "seconds": round(seconds, 1),
        "seed": seed,
        "executions": stats.executions,
        "executions_by_format": dict(stats.by_format),
        "outcomes": dict(stats.outcomes),
        "crash_signatures": stats.crashes,
    }


def fuzz(
    seconds: float, seed: int, formats: list[str], timeout: float, summary_path: Path | None
) -> Stats:
    """Mutate seeds for ``seconds`` and collect crashes (summary rewritten every minute)."""
    builders: dict[str, Callable[[], list[bytes]]] = {
        "docx": docx_seeds,
        "pdf": pdf_seeds,
        "html": html_seeds,
    }
    corpus = {fmt: builders[fmt]() for fmt in formats}
    seen_outcomes: dict[str, set[str]] = {fmt: set() for fmt in formats}
    rng = random.Random(seed)
    stats = Stats()
    signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    deadline = started + seconds
    next_report = started + 60
    with tempfile.TemporaryDirectory(prefix="gapcheck-fuzz-") as folder:
        while time.monotonic() < deadline:
            fmt = formats[stats.executions % len(formats)]
            pool = corpus[fmt]
            parent = rng.choice(pool)
            if fmt == "docx":
                data = mutate_docx(parent, rng, pool)
            else:
                data = mutate_bytes(parent, rng, TOKENS[fmt], pool)
            suffix = rng.choice((f".{fmt}", ".txt", ""))
            outcome, crash = run_one(Path(folder) / f"input{suffix}", data, timeout)
            stats.executions += 1
            stats.by_format[fmt] += 1
            stats.outcomes[outcome.split(":")[0]] += 1
            if crash is not None:
                save_crash(fmt, data, crash, stats)
            elif outcome not in seen_outcomes[fmt] and len(pool) < 200:
                # A new kind of outcome is a cheap stand-in for new coverage: keep the input.
                seen_outcomes[fmt].add(outcome)
                pool.append(data)
            if time.monotonic() > next_report:
                next_report += 60
                if summary_path is not None:
                    figures = summary(stats, time.monotonic() - started, seed)
                    summary_path.write_text(json.dumps(figures, indent=2) + "\n")
                print(
                    f"{stats.executions} executions, {len(stats.crashes)} crash signatures, "
                    f"corpus {', '.join(f'{k}={len(v)}' for k, v in corpus.items())}",
                    flush=True,
                )
    return stats


def main() -> None:
    """Parse options, run the fuzzer and print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="docx,pdf,html")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per input")
    parser.add_argument("--summary", type=Path, help="also write the JSON summary here")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    started = time.monotonic()
    stats = fuzz(args.seconds, args.seed, args.formats.split(","), args.timeout, args.summary)
    figures = summary(stats, time.monotonic() - started, args.seed)
    if args.summary is not None:
        args.summary.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
