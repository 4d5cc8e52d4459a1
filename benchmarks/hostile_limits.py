"""Peak memory and time of the largest inputs the default limits allow (or just refuse).

Re-run with:  python benchmarks/hostile_limits.py [--quick]

Each case runs ``gapcheck analyze`` in a fresh process, as a user would, and records the
exit code, wall time and the child's peak resident memory (``ru_maxrss``):

* ``clauses-at-limit``: a text policy with exactly ``--max-clauses`` (20,000) clauses,
  analysed to the end: the largest analysis the defaults allow;
* ``pdf-at-page-limit``: a PDF with ``--max-pages`` (2,000) pages of text, analysed;
* ``text-at-size-limit``: a text file just under ``--max-file-mb`` (50 MiB), refused
  at the clause limit while reading: what refusing the biggest file costs;
* ``html-at-size-limit``: the same for HTML;
* ``docx-at-unpacked-limit``: a DOCX whose XML unpacks to just under
  ``--max-unpacked-mb`` (100 MiB), refused at the clause limit;
* ``docx-zip-bomb``: a DOCX that would unpack to 4 GiB, refused before unpacking;
* ``unique-vocabulary``: 2,000 clauses made of words that never repeat, analysed. The
  lexical scorer keeps only the catalog's words, so distinct words cost it nothing; what
  grows is the encoder's work, since a made-up word breaks into several word pieces and
  each clause becomes a long token sequence.

Results are printed as a Markdown table and written to
benchmarks/results/hostile_limits.json. ``--quick`` scales every input down 20 times
(a smoke test of the script, not a measurement).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gapcheck.ingest import read_document  # noqa: E402
from gapcheck.limits import (  # noqa: E402
    DEFAULT_MAX_CLAUSES,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_UNPACKED_MB,
    MIB,
)
from gapcheck.segment import split_clauses  # noqa: E402

CLAUSE = (
    "{n}. You must not use the Service to harass, threaten or defame any person, and we "
    "may suspend or terminate accounts that break this rule number {n} without notice."
)


def clause_text(count: int) -> str:
    return "\n\n".join(CLAUSE.format(n=n) for n in range(1, count + 1)) + "\n"


def write_text_at_clause_limit(folder: Path, scale: int) -> Path:
    path = folder / "clauses-at-limit.txt"
    path.write_text(clause_text(DEFAULT_MAX_CLAUSES // scale), encoding="utf-8")
    return path


def write_text_at_size_limit(folder: Path, scale: int) -> Path:
    path = folder / "text-at-size-limit.txt"
    target = DEFAULT_MAX_FILE_MB * MIB // scale - 4096
    block = clause_text(1000).encode()
    with path.open("wb") as handle:
        while handle.tell() + len(block) < target:
            handle.write(block)
    return path


def write_html_at_size_limit(folder: Path, scale: int) -> Path:
    path = folder / "html-at-size-limit.html"
    target = DEFAULT_MAX_FILE_MB * MIB // scale - 4096
    block = "".join(f"<p>{CLAUSE.format(n=n)}</p>\n" for n in range(1000)).encode()
    with path.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><body>")
        while handle.tell() + len(block) < target:
            handle.write(block)
        handle.write(b"</body></html>")
    return path


def _docx_with_body(body_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("seed")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    main = source.read("word/document.xml")
    head, tail = main.split(b"<w:body>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = head + b"<w:body>" + body_xml + tail
            archive.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def write_docx_at_unpacked_limit(folder: Path, scale: int) -> Path:
    target = DEFAULT_MAX_UNPACKED_MB * MIB // scale - 2 * MIB  # room for the other parts
    paragraph = b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>"
    chunk = b"".join(paragraph % CLAUSE.format(n=n).encode() for n in range(1000))
    body = chunk * max(1, target // len(chunk))
    path = folder / "docx-at-unpacked-limit.docx"
    path.write_bytes(_docx_with_body(body))
    return path


def write_zip_bomb(folder: Path, scale: int) -> Path:
    """4 GiB of zeros declared in the archive; compressed with zlib in streamed chunks."""
    path = folder / "docx-zip-bomb.docx"
    base = _docx_with_body(b"<w:p><w:r><w:t>Terms.</w:t></w:r></w:p>")
    with path.open("wb") as handle:
        handle.write(base)
    zero = bytes(64 * MIB)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/bomb.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(4 * 1024 // 64 // scale):
            member.write(zero)
    return path


def write_pdf_at_page_limit(folder: Path, scale: int) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for page in range(DEFAULT_MAX_PAGES // scale):
        pdf.add_page()
        text = "\n\n".join(CLAUSE.format(n=page * 6 + n) for n in range(1, 7))
        pdf.multi_cell(0, 5, text)
    path = folder / "pdf-at-page-limit.pdf"
    pdf.output(str(path))
    return path


def write_unique_vocabulary(folder: Path, scale: int) -> Path:
    """Clauses of 60 made-up words each, none used twice (distinct in their first 7 letters,
    which is all the lexical scorer keeps)."""

    def word(n: int) -> str:
        letters = []
        for _ in range(7):
            n, digit = divmod(n, 26)
            letters.append(chr(ord("a") + digit))
        return "".join(letters)

    words = iter(word(n) for n in range(10**7))
    clauses = [
        f"You must not {' '.join(next(words) for _ in range(60))}." for _ in range(2000 // scale)
    ]
    path = folder / "unique-vocabulary.txt"
    path.write_text("\n\n".join(clauses) + "\n", encoding="utf-8")
    return path


CASES: dict[str, Callable[[Path, int], Path]] = {
    "clauses-at-limit": write_text_at_clause_limit,
    "pdf-at-page-limit": write_pdf_at_page_limit,
    "text-at-size-limit": write_text_at_size_limit,
    "html-at-size-limit": write_html_at_size_limit,
    "docx-at-unpacked-limit": write_docx_at_unpacked_limit,
    "docx-zip-bomb": write_zip_bomb,
    "unique-vocabulary": write_unique_vocabulary,
}


def limit_arguments(scale: int) -> list[str]:
    """The default limits, divided by ``scale`` in --quick mode so refusals still happen."""
    return [
        *("--max-file-mb", str(DEFAULT_MAX_FILE_MB / scale)),
        *("--max-unpacked-mb", str(DEFAULT_MAX_UNPACKED_MB / scale)),
        *("--max-pages", str(DEFAULT_MAX_PAGES // scale)),
        *("--max-clauses", str(DEFAULT_MAX_CLAUSES // scale)),
    ]


def measure(path: Path, env: dict[str, str], scale: int) -> dict[str, object]:
    """Exit code, wall seconds, peak RSS (MB) and the stderr line of one analyze run."""
    command = [
        sys.executable,
        "-m",
        "gapcheck",
        "analyze",
        str(path),
        "--vendor",
        "openai",
        "--format",
        "json",
        "-q",
        *limit_arguments(scale),
    ]
    wrapper = [
        sys.executable,
        "-c",
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,"
        " text=True);"
        "print(json.dumps([r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " r.stderr.strip()]))",
        *command,
    ]
    started = time.perf_counter()
    result = subprocess.run(wrapper, env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    code, max_rss_kb, stderr = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "exit_code": code,
        "seconds": round(elapsed, 1),
        "peak_rss_mb": round(max_rss_kb / 1024),
        "message": stderr.replace(str(path), path.name)[:200],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="inputs 20 times smaller")
    parser.add_argument("--only", nargs="*", choices=list(CASES), help="run only these cases")
    args = parser.parse_args()
    scale = 20 if args.quick else 1
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="gapcheck-limits-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "GAPCHECK_CACHE_DIR": str(folder / "cache"), "HF_HUB_OFFLINE": "1"}
        for name in args.only or CASES:
            path = CASES[name](folder, scale)
            row: dict[str, object] = {"file_mb": round(path.stat().st_size / MIB, 1)}
            if name in ("clauses-at-limit", "pdf-at-page-limit", "unique-vocabulary"):
                row["clauses"] = len(split_clauses(read_document(path)))
            row.update(measure(path, env, scale))
            results[name] = row
            print(f"{name}: {row}", flush=True)
            path.unlink()
    print("\n| case | file MB | exit | seconds | peak RSS MB |\n|---|---:|---:|---:|---:|")
    for name, row in results.items():
        print(
            f"| {name} | {row['file_mb']} | {row['exit_code']} | {row['seconds']} "
            f"| {row['peak_rss_mb']} |"
        )
    if not args.quick:
        payload = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "limits": {
                "max_file_mb": DEFAULT_MAX_FILE_MB,
                "max_unpacked_mb": DEFAULT_MAX_UNPACKED_MB,
                "max_pages": DEFAULT_MAX_PAGES,
                "max_clauses": DEFAULT_MAX_CLAUSES,
            },
            "cases": results,
        }
        out = ROOT / "benchmarks" / "results" / "hostile_limits.json"
        if args.only and out.exists():  # re-running some cases keeps the others' figures
            previous = json.loads(out.read_text(encoding="utf-8")).get("cases", {})
            payload["cases"] = {**previous, **results}
        out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
