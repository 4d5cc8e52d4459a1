"""An installed wheel must carry the bundled catalogs and report templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from paths import PROJECT_ROOT

from gapcheck.settings import BUNDLED_CATALOG_DIR, BUNDLED_TEMPLATE_DIR


def test_wheel_contains_catalogs_and_templates(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("gapcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for catalog in BUNDLED_CATALOG_DIR.glob("*.yaml"):
        assert f"gapcheck/_bundled/requirements_catalog/{catalog.name}" in names
    for template in BUNDLED_TEMPLATE_DIR.iterdir():
        assert f"gapcheck/_bundled/report_templates/{template.name}" in names
    assert "gapcheck/cli.py" in names and "gapcheck/ingest/docx_reader.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gapcheck = gapcheck.console:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
