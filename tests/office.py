"""Open an exported workbook in LibreOffice (headless) and read it back as CSV: proof that an office suite,
not only openpyxl, accepts the file. Skipped where LibreOffice is not installed, unless
GRASSROOTS_REQUIRE_LIBREOFFICE is set (CI sets it, so there the check cannot silently skip)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# UTF-8 (76), comma-separated (44), double-quoted (34).
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76"


def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    if os.environ.get("GRASSROOTS_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice is required here (GRASSROOTS_REQUIRE_LIBREOFFICE) but is not installed")
    pytest.skip("LibreOffice is not installed")


def as_csv(body: bytes, tmp_path: Path, name: str = "export") -> str:
    """The first sheet of the .xlsx `body` as LibreOffice reads it, as CSV text."""
    program = libreoffice()
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(body)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            CSV_UTF8,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
