"""Read endpoints for the directory. Staff only; contacts only within the user's scope."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from core.inputs import Id
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
def list_municipalities(request, block_id: Id | None = None, district_id: Id | None = None):
    municipalities = Municipality.objects.visible_to(request.auth)
    if block_id is not None:
        municipalities = municipalities.filter(block_id=block_id)
    if district_id is not None:
        municipalities = municipalities.filter(district_id=district_id)
    return municipalities


@router.get("/municipalities/{municipality_id}", response=MunicipalityDetailOut)
def get_municipality(request, municipality_id: Id):
    return get_object_or_404(
        Municipality.objects.visible_to(request.auth)
        .select_related("district", "block")
        .prefetch_related(_contacts_for(request)),
        pk=municipality_id,
    )


@router.get("/organizations", response=list[OrganizationOut])
def list_organizations(request):
    return PartnerOrganization.objects.visible_to(request.auth)


@router.get("/organizations/{organization_id}", response=OrganizationDetailOut)
def get_organization(request, organization_id: Id):
    return get_object_or_404(
        PartnerOrganization.objects.visible_to(request.auth).prefetch_related(
            _contacts_for(request)
        ),
        pk=organization_id,
    )
