import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo data (FY2021 from the seed, FY2022 invented)."""
    call_command("load_demo", stdout=io.StringIO())
