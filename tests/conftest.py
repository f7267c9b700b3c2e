"""The shared fixtures live in tests.support.fixtures (personas, API clients, ...); see tests/support."""

pytest_plugins = ["tests.support.fixtures"]
