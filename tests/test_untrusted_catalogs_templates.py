"""Catalogs and templates are untrusted input (issue 6, point 3).

A law firm's catalog (YAML) or report template (Jinja) must not be able to run code,
import modules, read files or exhaust memory; each attempt must end in one clean
error line naming the file. The Markdown template path is covered here; the HTML and
DOCX templates share the same sandbox (``gapcheck.render.templates``).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from report_factory import make_report

from gapcheck.catalog import load_catalog
from gapcheck.cli import cli
from gapcheck.errors import CatalogError, ExitCode, GapcheckError
from gapcheck.render import render
from gapcheck.safe_yaml import MAX_DEPTH, MAX_YAML_BYTES
from gapcheck.settings import BUNDLED_TEMPLATE_DIR

SECRET = "TOPSECRET-catalog-9c1e"

# -- YAML catalogs ---------------------------------------------------------------------

OBJECT_TAGS = [
    "id: !!python/object/apply:os.system ['touch {pwned}']\n",
    "id: !!python/object/new:subprocess.Popen [['touch', '{pwned}']]\n",
    "id: !!python/name:os.system\n",
    "id: !!python/module:os\n",
    "id: !!python/object:gapcheck.catalog.Catalog {{}}\n",
    "id: !!python/tuple [1, 2]\n",
    'id: !<tag:yaml.org,2002:python/object/apply:builtins.exec> [\'open("{pwned}", "w")\']\n',
]


@pytest.mark.parametrize("source", OBJECT_TAGS)
def test_object_constructing_tags_are_refused(tmp_path: Path, source: str) -> None:
    pwned = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(source.format(pwned=pwned), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"evil\.yaml: invalid YAML at line 1: .*constructor"):
        load_catalog(path)
    assert not pwned.exists()


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (_billion_laughs(), r"aliases expand too far .*alias bomb"),
        ('big: &s "' + "x" * 200_000 + '"\nall: [' + ", ".join(["*s"] * 200) + "]\n", r"expand"),
        ("a: &a [1, *a]\n", r"refers to an enclosing node"),
        ("[" * 100_000, r"nested too deeply at line 1 \(more than 64 levels\)"),
        ("a:\n" + "".join(" " * level + "b:\n" for level in range(1, 200)), r"nested too deep"),
    ],
    ids=["billion laughs", "long string aliases", "recursive alias", "deep flow", "deep block"],
)
def test_yaml_bombs_fail_fast_with_bounded_memory(
    tmp_path: Path, source: str, problem: str
) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(source, encoding="utf-8")
    before, started = _peak_rss_mb(), time.monotonic()
    with pytest.raises(CatalogError, match=problem) as caught:
        load_catalog(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert time.monotonic() - started < 10
    assert _peak_rss_mb() - before < 200  # expanding the bomb would need gigabytes


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="catalog must be a YAML mapping"):
        load_catalog(path)  # parsed fine; only the schema objects


def test_oversized_catalog_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"huge\.yaml: YAML file is too large"):
        load_catalog(path)


def test_catalog_bombs_through_the_cli_are_one_line(tmp_path: Path) -> None:
    for name, source in (
        ("laughs.yaml", _billion_laughs()),
        ("tags.yaml", OBJECT_TAGS[0].format(pwned=tmp_path / "pwned")),
        ("deep.yaml", "[" * 10_000),
    ):
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        result = CliRunner().invoke(cli, ["catalog", "validate", str(path)])
        assert result.exit_code == ExitCode.CATALOG, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"gapcheck: error: {path}"), lines
        assert "Traceback" not in result.output
    assert not (tmp_path / "pwned").exists()


# -- Jinja templates (Markdown) ---------------------------------------------------------

TEMPLATE_ATTACKS = {
    "class walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "subclasses in a loop": (
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}"
    ),
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch {pwned}').read() }}",
    "joiner globals": "{{ joiner.__init__.__globals__['os'].system('touch {pwned}') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].system('touch {pwned}') }}",
    "namespace globals": "{{ namespace.__init__.__globals__['__builtins__'] }}",
    "import via builtins": "{{ cycler.__init__.__globals__.__builtins__.__import__('this') }}",
    "format string": "{{ '{0.__class__.__mro__}'.format(operator) }}",
    "attr filter": "{{ operator|attr('__class__')|attr('__mro__') }}",
    "template reference": "{{ self._TemplateReference__context }}",
    "include outside folder": "{% include '../secret.txt' %}",
    "include absolute": "{% include '{secret}' %}",
    "import a module": "{% import 'os' as os %}{{ os.system('touch {pwned}') }}",
    "unknown globals": "{{ config }}{{ request }}{{ os }}",
    "method on context": "{{ findings.__class__.__init__.__globals__ }}",
    "str.mro via getattr": "{{ operator.__class__.mro() }}",
}


@pytest.fixture
def attack_folder(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A template folder, a secret file beside it (not in it), and the marker file path."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder, secret, tmp_path / "pwned"


@pytest.mark.parametrize("name", list(TEMPLATE_ATTACKS))
def test_malicious_markdown_template_fails_cleanly(
    attack_folder: tuple[Path, Path, Path], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, secret, pwned = attack_folder
    monkeypatch.chdir(folder)
    source = TEMPLATE_ATTACKS[name].replace("{pwned}", str(pwned)).replace("{secret}", str(secret))
    template = folder / "evil.md.j2"
    template.write_text(source, encoding="utf-8")
    modules = set(sys.modules)
    output: Any = None
    try:
        output = render(make_report(), "md", BUNDLED_TEMPLATE_DIR, template=template)
    except GapcheckError as error:
        message = str(error)
        assert message.startswith(str(template)) and "\n" not in message, message
        assert error.exit_code == ExitCode.USAGE
        assert SECRET not in message
    else:  # rendering is allowed only if nothing escaped the sandbox
        pytest.fail(f"template rendered: {output[:200]!r}")
    assert not pwned.exists()
    assert "this" not in set(sys.modules) - modules


def test_malicious_template_through_the_cli(
    attack_folder: tuple[Path, Path, Path], loaded_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _, pwned = attack_folder
    monkeypatch.setattr("gapcheck.pipeline.load_model", lambda *args, **kwargs: loaded_model)
    terms = folder.parent / "terms.md"
    terms.write_text("You must be at least 18 years old to use the Service.\n", encoding="utf-8")
    template = folder / "evil.md.j2"
    template.write_text(TEMPLATE_ATTACKS["cycler globals"].replace("{pwned}", str(pwned)))
    output = folder.parent / "report.md"
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(terms),
            "-o",
            str(output),
            "--template",
            str(template),
            "--vendor",
            "openai",
            "-q",
        ],
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"gapcheck: error: {template}"), lines
    assert "Traceback" not in result.output
    assert not pwned.exists() and not output.exists()


WORK_ATTACKS = {
    "string repetition": ("{{ 'x' * 10**9 }}", "'*' would build 1,000,000,000"),
    "list repetition": ("{{ ([0] * 10**8) | length }}", "'*' would build 100,000,000"),
    "repetition of a join": (
        "{{ range(100000) | join(',') * 100000 }}",
        "'*' would build",
    ),
    "huge power": ("{{ 2 ** 1000000000 }}", "'**' would build a 1,000,000,000-bit number"),
    "self-calling macro": (
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "macros or includes call themselves too deeply",
    ),
}


@pytest.mark.parametrize("name", list(WORK_ATTACKS))
def test_templates_asking_for_unbounded_work_fail_fast(tmp_path: Path, name: str) -> None:
    source, expected = WORK_ATTACKS[name]
    template = tmp_path / "greedy.md.j2"
    template.write_text(source, encoding="utf-8")
    started = time.monotonic()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(GapcheckError) as caught:
        render(make_report(), "md", BUNDLED_TEMPLATE_DIR, template=template)
    message = str(caught.value)
    assert message.startswith(f"{template}: template error") and expected in message, message
    assert "\n" not in message and caught.value.exit_code == ExitCode.USAGE
    assert time.monotonic() - started < 10
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 200, f"peak memory grew by {grown_mb:.0f} MB"


def test_everyday_arithmetic_still_renders(tmp_path: Path) -> None:
    template = tmp_path / "fine.md.j2"
    template.write_text("{{ '-' * 40 }}|{{ 2 ** 10 }}|{{ [1, 2] * 3 }}|{{ 3 * 4 }}", "utf-8")
    output = render(make_report(), "md", BUNDLED_TEMPLATE_DIR, template=template)
    assert output.decode("utf-8") == f"{'-' * 40}|1024|[1, 2, 1, 2, 1, 2]|12"


def test_a_loop_without_end_is_stopped_by_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gapcheck.render.template_limits.RENDER_SECONDS", 0.5)
    template = tmp_path / "spin.md.j2"
    template.write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "utf-8",
    )
    started = time.monotonic()
    with pytest.raises(GapcheckError, match=r"rendering took longer than 0\.5 s") as caught:
        render(make_report(), "md", BUNDLED_TEMPLATE_DIR, template=template)
    assert caught.value.exit_code == ExitCode.USAGE
    assert time.monotonic() - started < 10


def test_a_word_template_asking_for_too_much_fails_cleanly(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph("{{ operator * 10**9 }}")
    template = tmp_path / "greedy.docx"
    document.save(str(template))
    with pytest.raises(GapcheckError) as caught:
        render(make_report(), "docx", BUNDLED_TEMPLATE_DIR, template=template)
    message = str(caught.value)
    assert message.startswith(f"{template}: template error") and "'*' would build" in message
    assert caught.value.exit_code == ExitCode.USAGE
