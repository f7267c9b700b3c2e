"""The layer contract (pyproject.toml, [tool.importlinter]) holds, and it catches an import that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_contract(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("contract")
    shutil.copytree(
        ROOT / "grassroots",
        project / "grassroots",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "migrations"),
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def test_the_layer_contract_is_kept_when_run_on_the_code_as_it_is(copy_of_the_tree):
    got = run_contract(copy_of_the_tree)
    assert got.returncode == 0, got.stdout + got.stderr
    assert " kept, 0 broken" in got.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import"),
    [
        ("core/_wrong.py", "from grassroots.orgs import models\n"),
        ("orgs/_wrong.py", "from grassroots.recruitment import selectors\n"),
        ("members/_wrong.py", "from grassroots.documents import services\n"),
        ("audit/_wrong.py", "def late():\n    from grassroots.accounts import models\n"),
        # Inside recruitment (contract "recruitment-inside"): a selector may not use the services.
        ("recruitment/selectors/_wrong.py", "from grassroots.recruitment import services\n"),
    ],
)
def test_the_contract_is_broken_when_a_lower_layer_imports_a_higher_one(
    copy_of_the_tree, module, wrong_import
):
    target = copy_of_the_tree / "grassroots" / module
    target.write_text(wrong_import)
    try:
        got = run_contract(copy_of_the_tree)
    finally:
        target.unlink()
    assert got.returncode != 0
    assert "BROKEN" in got.stdout.upper(), got.stdout
