"""The data tests check the project under test (tests/conftest.py PROJECT): every article in its
data/, not only the five whose answers other tests pin."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT


@pytest.fixture(scope="session")
def project_under_test():
    """PROJECT's graph (ontology, every article, reference data), loaded once (read-only)."""
    from kg.rdf.loading import load_project

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KG_HOME", str(PROJECT))
        return load_project()
