"""The small cast every test shares.

Offices: BNN RI; BNNP Jambi; BNNP Kepulauan Bangka Belitung; BNNK Kota
Pangkalpinang (work area Kota Pangkal Pinang + Kabupaten Bangka Tengah).
Units: Kayu Aro (Jambi, under BNNP Jambi) and Air Mesu Timur (Bangka Tengah,
under BNNK Kota Pangkalpinang).

Personas (password ``PASSWORD``):

* ``alice``  agent of Kayu Aro           * ``carol``  coordinator of Kayu Aro
* ``bob``    agent of Air Mesu Timur (the outsider for Kayu Aro)
* ``sam``    supervisor at BNNP Jambi    * ``pat``    supervisor at BNNK Pangkalpinang
* ``olga``   staff at BNN RI (national)  * ``nina``   staff at BNNP Babel (area)
* ``mira``   partner at BNNP Babel       * ``dina``   data protection officer
* ``adam``   administrator
"""

from __future__ import annotations

from dataclasses import dataclass

from pulih.accounts.models import ApiToken, User
from pulih.accounts.roles import Role
from pulih.organisations.models import Office, OfficeKind, Unit, UnitStatus
from pulih.regions.models import Regency, Village

PASSWORD = "correct-horse-battery"  # noqa: S105 - test-only credential

KAYU_ARO = "15.05.02.2003"
AIR_MESU_TIMUR = "19.04.02.2020"
TEST_PROVINCES = ["15", "19"]


@dataclass
class World:
    bnn_ri: Office
    bnnp_jambi: Office
    bnnp_babel: Office
    bnnk_pkp: Office
    unit_kayu_aro: Unit
    unit_air_mesu: Unit
    alice: User
    carol: User
    bob: User
    sam: User
    pat: User
    olga: User
    nina: User
    mira: User
    dina: User
    adam: User
    extra_token: ApiToken

    @property
    def personas(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in ("alice", "carol", "bob", "sam", "pat", "olga", "nina", "mira", "dina", "adam")
        }


def make_user(username: str, role: str, *, office: Office | None = None, unit: Unit | None = None) -> User:
    user = User(
        username=username,
        full_name=username.title(),
        role=role,
        office=office or (unit.office if unit else None),
        unit=unit,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_office(name: str, kind: str, parent: Office | None, province: str | None, area: list[str]) -> Office:
    office = Office.objects.create(name=name, kind=kind, parent=parent, province_id=province)
    office.work_area.set(Regency.objects.filter(code__in=area))
    return office


def make_unit(name: str, village_code: str, office: Office, status: str = UnitStatus.ACTIVE) -> Unit:
    return Unit.objects.create(
        name=name, village=Village.objects.get(code=village_code), office=office, status=status
    )


def build_world() -> World:
    ri = make_office("BNN RI", OfficeKind.RI, None, None, [])
    jambi = make_office(
        "BNNP Jambi",
        OfficeKind.BNNP,
        ri,
        "15",
        list(Regency.objects.filter(province_id="15").values_list("code", flat=True)),
    )
    babel = make_office(
        "BNNP Kepulauan Bangka Belitung",
        OfficeKind.BNNP,
        ri,
        "19",
        list(Regency.objects.filter(province_id="19").values_list("code", flat=True)),
    )
    pkp = make_office("BNNK Kota Pangkalpinang", OfficeKind.BNNK, babel, "19", ["19.71", "19.04"])
    kayu = make_unit("IBM Bina Masyarakat", KAYU_ARO, jambi)
    mesu = make_unit("IBM Air Mesu Timur", AIR_MESU_TIMUR, pkp)
    olga = make_user("olga", Role.OFFICE_STAFF, office=ri)
    # A token that belongs to a bystander: no persona may see or revoke it.
    bystander = make_user("bystander", Role.OFFICE_STAFF, office=ri)
    token = ApiToken.objects.create(
        user=bystander, name="bystander", prefix="pulih_xxxxxx", token_hash="0" * 64
    )
    return World(
        extra_token=token,
        bnn_ri=ri,
        bnnp_jambi=jambi,
        bnnp_babel=babel,
        bnnk_pkp=pkp,
        unit_kayu_aro=kayu,
        unit_air_mesu=mesu,
        alice=make_user("alice", Role.AGENT, unit=kayu),
        carol=make_user("carol", Role.COORDINATOR, unit=kayu),
        bob=make_user("bob", Role.AGENT, unit=mesu),
        sam=make_user("sam", Role.SUPERVISOR, office=jambi),
        pat=make_user("pat", Role.SUPERVISOR, office=pkp),
        olga=olga,
        nina=make_user("nina", Role.OFFICE_STAFF, office=babel),
        mira=make_user("mira", Role.PARTNER, office=babel),
        dina=make_user("dina", Role.DPO, office=ri),
        adam=make_user("adam", Role.ADMIN, office=ri),
    )
