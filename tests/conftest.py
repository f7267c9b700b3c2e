"""The shared fixtures live in tests/support: personas, API clients, ... (fixtures.py) and the scoping
sweep's world, built once per module (world.py)."""

import pytest

pytest_plugins = ["tests.support.fixtures", "tests.support.world"]


def pytest_configure(config):
    """Under `-n`, send each test file whole to one worker (pytest-xdist's `loadfile`) instead of spreading
    its tests (`load`, the default), so a module-scoped fixture — the sweep's world, a copy of the project —
    is built once per module, not once per chunk of tests a worker receives. (`loadgroup` would do it per
    marked module, but pytest-xdist 3.8 cannot name the groups under pytest 9.) An explicit `--dist` wins."""
    if getattr(config.option, "dist", "no") == "load" and not any(
        a == "--dist" or a.startswith(("--dist=", "-d")) for a in config.invocation_params.args
    ):
        config.option.dist = "loadfile"


# The longest test files, started first so that under `-n` none of them begins last and leaves one worker
# running alone at the end. (Only files without transactional tests: those stay last, as pytest-django
# orders them.)
LONGEST_FIRST = ("tests/test_make_demo.py", "tests/test_scoping_sweep.py")


@pytest.hookimpl(trylast=True)  # after pytest-django's ordering, which this keeps otherwise
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))


@pytest.fixture(autouse=True)
def _stored_calendar_forgotten():
    """The stored working-day calendar keeps the years it has read (workcalendar.selectors.STORED) until it is
    told to forget them, as each request does: each test starts from its own database's calendar, not from
    years a rolled-back test left behind."""
    from grassroots.workcalendar.selectors import forget

    forget()
    yield
    forget()
