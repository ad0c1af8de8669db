import datetime as dt
import io

import pytest
from django.core.management import call_command

from core.fiscal import TOKYO

# The first day on which FY2021 (令和3年度) is past the default five years after its end.
FY2021_PAST = dt.datetime(2027, 4, 1, 9, 0, tzinfo=TOKYO)
FY2022_PAST = dt.datetime(2028, 4, 1, 9, 0, tzinfo=TOKYO)


@pytest.fixture
def demo(db):
    """The demo data (FY2021 from the seed, FY2022 invented)."""
    call_command("load_demo", stdout=io.StringIO())
