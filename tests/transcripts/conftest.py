from tests.flows.conftest import citizen, seams, send  # noqa: F401 - shared pipeline fixtures
