"""What the tests share: personas and their clients, the API client, query-count helpers, dossiers built
through the services, the scoping sweep's enumeration and world, and the query budget table.

Test modules import from here (and from tests.factories / tests.office), never from another test module or
another folder's conftest; tests/test_test_layout.py enforces it.
"""
