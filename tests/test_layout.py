"""No test module imports another test module or a conftest: what tests share lives in tests.support (and
tests.factories, tests.office), so a test file can move, split or go without breaking another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SHARED = ("tests.support", "tests.factories", "tests.office")


def _shared(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in SHARED)


def forbidden_imports(source: str) -> list[str]:
    """The imports in `source` that reach a test module, a conftest or anything else of tests/ that is not
    shared (relative imports included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "tests" and not _shared(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                found.append("." * node.level + module)
            elif module == "tests":
                found += [f"tests.{a.name}" for a in node.names if not _shared(f"tests.{a.name}")]
            elif module.startswith("tests.") and not _shared(module):
                found.append(module)
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tests.recruitment.test_api import steps", ["tests.recruitment.test_api"]),
        ("from tests.api.conftest import ApiClient", ["tests.api.conftest"]),
        ("import tests.conftest", ["tests.conftest"]),
        ("from tests import conftest, office", ["tests.conftest"]),
        ("from .test_views import applicant", [".test_views"]),
        ("def f():\n    from tests.orgs.test_views import x", ["tests.orgs.test_views"]),
        (
            "from tests.support.road import steps\nfrom tests.factories import make_org\nfrom tests import office",
            [],
        ),
    ],
)
def test_forbidden_imports_are_found_when_a_test_reaches_into_another(source, expected):
    assert forbidden_imports(source) == expected


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offenders = {
        str(path.relative_to(TESTS.parent)): bad
        for path in sorted(TESTS.rglob("*.py"))
        if (bad := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "move what is shared into tests/support and import it from there"
