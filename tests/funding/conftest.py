import pytest


@pytest.fixture(autouse=True)
def iati_sectors_as_migrated(request):
    """The IATI tests run with the sectors migration funding 0013 writes, even after a flush."""
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_iati"):
        request.getfixturevalue("seeded_sectors")
