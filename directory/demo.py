"""Demo part of the directory: the default geography and a few staff users, one per role.

Passwords are for the demo only and printed by the run command."""

from directory.center import get_profile, update_profile
from directory.kochi import load_directory
from directory.models import Contact, District, Municipality, PartnerOrganization, User

DEMO_PASSWORD = "sasaeru-demo"

# username, last name, first name, role, district, municipality, superuser
DEMO_USERS = [
    ("admin", "管理者", "", "", None, None, True),
    ("center", "支援", "花子", "center", None, None, False),
    ("center2", "地域", "太郎", "center", None, None, False),
    ("hata", "幡多", "保健", "health_office", "幡多", None, False),
    ("ino", "いの", "町子", "municipal", None, "いの町", False),
]

DEMO_CONTACTS = [
    # owner kind, owner name, department, name, email
    ("municipality", "いの町", "ほけん福祉課", "伊野 一郎", "ino-hoken@example.jp"),
    ("municipality", "須崎市", "福祉事務所", "須崎 二郎", "susaki-fukushi@example.jp"),
    ("municipality", "中土佐町", "健康福祉課", "中土 三子", "nakatosa@example.jp"),
    ("municipality", "四万十町", "健康福祉課", "四万 四郎", "shimanto-cho@example.jp"),
    ("district", "幡多", "健康障害課", "幡多 五月", "hata-hc@example.jp"),
    ("organization", "若者サポートステーション", "相談支援", "若葉 六郎", "saposute@example.jp"),
]


# The demo center's contacts: plausible, and clearly invented (a 000 exchange, an example
# domain, an address marked as made up), so the pages show where a number and an address go.
DEMO_CENTER_CONTACTS = {
    "phone": "088-000-1234",
    "fax": "088-000-1235",
    "email": "center@sasaeru.example",
    "address": "〒780-0000 高知県高知市見本町1-2-3（デモ用の架空の住所）",
}


def load(stdout=None) -> str:
    created = load_directory()
    profile = get_profile()
    if not any(getattr(profile, name) for name in DEMO_CENTER_CONTACTS):
        update_profile(by=None, **DEMO_CENTER_CONTACTS)
    users = 0
    for username, last, first, role, district, municipality, superuser in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            last_name=last,
            first_name=first,
            role=role,
            district=District.objects.get(name=district) if district else None,
            municipality=Municipality.objects.get(name=municipality) if municipality else None,
            is_superuser=superuser,
            is_staff=superuser or role == "center",
            email=f"{username}@sasaeru.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role == "center":
            _grant_directory_admin(user)
        users += 1
    contacts = 0
    owners = {
        "municipality": Municipality.objects,
        "district": District.objects,
        "organization": PartnerOrganization.objects,
    }
    for kind, owner, department, name, email in DEMO_CONTACTS:
        _, new = Contact.objects.get_or_create(
            **{kind: owners[kind].get(name=owner)},
            name=name,
            defaults={"department": department, "email": email, "phone": "088-000-0000"},
        )
        contacts += new
    return f"directory {created}, {users} users, {contacts} contacts created"


def _grant_directory_admin(user: User) -> None:
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory",
            content_type__model__in=[
                "block",
                "district",
                "municipality",
                "partnerorganization",
                "contact",
            ],
        )
    )
