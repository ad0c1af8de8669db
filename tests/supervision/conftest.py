import datetime as dt

from core.fiscal import TOKYO
from directory.models import District, Municipality, PartnerOrganization
from supervision.models import Target


def at(day: str, time: str = "10:00") -> dt.datetime:
    """An aware Tokyo datetime from '2021-06-10' and '10:00'."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TOKYO)


def target(name: str) -> Target:
    """The target as the seed names it: いの町, 幡多福祉保健所管内, 若者サポートステーション."""
    if name.endswith("福祉保健所管内"):
        office = name.removesuffix("管内")
        return Target.objects.get(district=District.objects.get(office_name=office))
    municipality = Municipality.objects.filter(name=name).first()
    if municipality:
        return Target.objects.get(municipality=municipality)
    return Target.objects.get(organization=PartnerOrganization.objects.get(name=name))
