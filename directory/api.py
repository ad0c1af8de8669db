"""Read endpoints for the directory. Staff only; contacts only within the user's scope."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from core.inputs import Choice, Id
from core.pagination import Pagination, QueryFilter
from directory.auth import staff_auth
from directory.models import Block, Contact, District, Municipality, PartnerOrganization

router = Router(auth=staff_auth, tags=["directory"])


class BlockOut(Schema):
    id: int
    name: str
    kana: str


class DistrictOut(Schema):
    id: int
    name: str
    kana: str
    office_name: str
    kind: str


class ContactOut(Schema):
    id: int
    department: str
    name: str
    email: str
    phone: str


class MunicipalityOut(Schema):
    id: int
    code: str | None
    name: str
    kana: str
    kind: str
    latitude: float | None
    longitude: float | None
    is_current: bool
    district_id: int | None
    block_id: int | None


class MunicipalityDetailOut(MunicipalityOut):
    district: DistrictOut | None
    block: BlockOut | None
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj):
        return obj.visible_contacts


class OrganizationOut(Schema):
    id: int
    name: str
    kana: str
    kind: str
    municipality_id: int | None


class OrganizationDetailOut(OrganizationOut):
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj):
        return obj.visible_contacts


class MunicipalityFilter(QueryFilter):
    block_id: Id | None = None
    district_id: Id | None = None


class OrganizationFilter(QueryFilter):
    kind: Choice(PartnerOrganization.Kind) | None = None
    municipality_id: Id | None = None


def _contacts_for(request):
    return Prefetch(
        "contacts",
        queryset=Contact.objects.visible_to(request.auth),
        to_attr="visible_contacts",
    )


@router.get("/blocks", response=list[BlockOut])
def list_blocks(request):
    return Block.objects.visible_to(request.auth)


@router.get("/districts", response=list[DistrictOut])
def list_districts(request):
    return District.objects.visible_to(request.auth)


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(Pagination)
def list_municipalities(request, filters: Query[MunicipalityFilter]):
    """The municipalities the user may see, in the prefecture's order; ``block_id`` and
    ``district_id`` narrow them."""
    return filters.filter(Municipality.objects.visible_to(request.auth).order_by("order", "id"))


@router.get("/municipalities/{municipality_id}", response=MunicipalityDetailOut)
def get_municipality(request, municipality_id: Id):
    return get_object_or_404(
        Municipality.objects.visible_to(request.auth)
        .select_related("district", "block")
        .prefetch_related(_contacts_for(request)),
        pk=municipality_id,
    )


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Pagination)
def list_organizations(request, filters: Query[OrganizationFilter]):
    """Partner organizations by kind and name; ``kind`` and ``municipality_id`` narrow them."""
    organizations = PartnerOrganization.objects.visible_to(request.auth)
    return filters.filter(organizations.order_by("kind", "name", "id"))


@router.get("/organizations/{organization_id}", response=OrganizationDetailOut)
def get_organization(request, organization_id: Id):
    return get_object_or_404(
        PartnerOrganization.objects.visible_to(request.auth).prefetch_related(
            _contacts_for(request)
        ),
        pk=organization_id,
    )
