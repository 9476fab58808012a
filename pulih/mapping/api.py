"""JSON API of village mapping, IKRN and Desa Bersinar: ``/api/v1/mapping/``.

Every read goes through the selectors (scoped); hotspots only for roles with
``hotspots.view``, within their scope.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from pulih.accounts.scoping import require, user_can
from pulih.mapping import ikrn_files
from pulih.mapping.access import MappingPerm
from pulih.mapping.api_auth import requiring
from pulih.mapping.classification import current_rule
from pulih.mapping.indicators import MAIN_INDICATORS, RISK_FACTORS, SUPPORTING_INDICATORS
from pulih.mapping.models import BersinarVillage, Hotspot, IkrnAssessment, IkrnImport, SituationMapping
from pulih.mapping.models.bersinar import COMPONENTS, FUNDING
from pulih.mapping.selectors import (
    bersinar_get,
    bersinar_list,
    hotspot_get,
    hotspot_list,
    ikrn_get,
    ikrn_import_get,
    ikrn_list,
    map_data,
    prone_area_report,
    provinces_in_scope,
    situation_get,
    situation_list,
)
from pulih.mapping.services.ikrn import ikrn_import_request
from pulih.mapping.services.situation import hotspot_create

router = Router(tags=["mapping"])


class HotspotOut(Schema):
    id: UUID
    mapping_id: int
    unit_id: int
    label: str
    kind: str
    rw: str
    latitude: float | None
    longitude: float | None
    notes: str

    @staticmethod
    def resolve_unit_id(obj: Hotspot) -> int:
        return obj.mapping.unit_id

    @staticmethod
    def resolve_latitude(obj: Hotspot) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Hotspot) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None


class EstimateOut(Schema):
    substance: str
    sex: str
    age_band: str
    count: int


class ResourceOut(Schema):
    kind: str
    name: str
    rw: str


class StakeholderOut(Schema):
    kind: str
    description: str
    support: str


class SituationOut(Schema):
    id: int
    unit_id: int
    village_code: str
    period_start: date
    period_end: date
    title: str
    risk_factors: list[str]
    is_demo: bool

    @staticmethod
    def resolve_village_code(obj: SituationMapping) -> str:
        return obj.unit.village_id

    @staticmethod
    def resolve_risk_factors(obj: SituationMapping) -> list[str]:
        return [name.removeprefix("risk_") for name, _label in RISK_FACTORS if getattr(obj, name)]


class SituationDetailOut(SituationOut):
    estimates: list[EstimateOut]
    resources: list[ResourceOut]
    stakeholders: list[StakeholderOut]
    hotspots: list[HotspotOut] | None = None

    @staticmethod
    def resolve_estimates(obj: SituationMapping) -> list[Any]:
        return list(obj.estimates.all())

    @staticmethod
    def resolve_resources(obj: SituationMapping) -> list[Any]:
        return list(obj.resources.all())

    @staticmethod
    def resolve_stakeholders(obj: SituationMapping) -> list[Any]:
        return list(obj.stakeholders.all())

    @staticmethod
    def resolve_hotspots(obj: SituationMapping) -> list[Any] | None:
        # Set by the endpoint only for roles that may see hotspots.
        return getattr(obj, "visible_hotspots", None)


class IkrnOut(Schema):
    id: int
    village_code: str
    village_name: str
    year: int
    category: str
    category_source: str
    drug_prone: bool
    drug_prone_stated: bool | None
    has_ibm_unit: bool
    main_indicators: dict[str, bool | None]
    supporting_indicators: dict[str, bool | None]
    respondents_residents: int | None
    respondents_village_head: int | None
    respondents_law_enforcement: int | None
    source: str
    note: str

    @staticmethod
    def resolve_village_code(obj: IkrnAssessment) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: IkrnAssessment) -> str:
        return obj.village.name

    @staticmethod
    def resolve_drug_prone(obj: Any) -> bool:
        return bool(obj.prone)

    @staticmethod
    def resolve_drug_prone_stated(obj: IkrnAssessment) -> bool | None:
        return obj.drug_prone

    @staticmethod
    def resolve_has_ibm_unit(obj: Any) -> bool:
        return bool(obj.has_ibm)

    @staticmethod
    def resolve_main_indicators(obj: IkrnAssessment) -> dict[str, bool | None]:
        return {col: getattr(obj, fld) for fld, col, _l in MAIN_INDICATORS}

    @staticmethod
    def resolve_supporting_indicators(obj: IkrnAssessment) -> dict[str, bool | None]:
        return {col: getattr(obj, fld) for fld, col, _l in SUPPORTING_INDICATORS}


class IkrnFilters(Schema):
    province: str = ""
    year: int | None = None
    category: str = ""
    prone_only: bool = False


class ImportError_(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportOut(Schema):
    id: UUID
    file_name: str
    status: str
    rows_total: int
    rows_imported: int
    rows_replaced: int
    errors: list[ImportError_]

    @staticmethod
    def resolve_errors(obj: IkrnImport) -> list[dict[str, Any]]:
        return [{**e, "message": ikrn_files.error_message(e)} for e in obj.errors]


class ThresholdOut(Schema):
    category: str
    min_main: int | None
    min_supporting: int | None
    counts_as_prone: bool
    source: str


class YearOut(Schema):
    year: int
    recorded: int
    prone: int
    prone_with_ibm: int
    published: list[int]


class ProneOut(Schema):
    province: str
    year: int | None
    villages: list[IkrnOut]
    years: list[YearOut]


class BersinarOut(Schema):
    id: int
    village_code: str
    village_name: str
    status: str
    ibm_present: bool
    ibm_unit_name: str | None
    decree_number: str
    decree_date: date | None
    decree_signer: str
    launched_on: date | None
    working_group: str
    funding: list[str]
    components: list[str]
    volunteers_count: int | None
    task_force_count: int | None
    person_in_charge: str
    source_note: str
    evaluations: list[dict[str, Any]]
    is_demo: bool

    @staticmethod
    def resolve_village_code(obj: BersinarVillage) -> str:
        return obj.village_id

    @staticmethod
    def resolve_village_name(obj: BersinarVillage) -> str:
        return obj.village.name

    @staticmethod
    def resolve_ibm_present(obj: Any) -> bool:
        return bool(obj.has_ibm)

    @staticmethod
    def resolve_ibm_unit_name(obj: Any) -> str | None:
        return obj.unit_name

    @staticmethod
    def resolve_funding(obj: BersinarVillage) -> list[str]:
        return [name.removeprefix("fund_") for name, _l in FUNDING if getattr(obj, name)]

    @staticmethod
    def resolve_components(obj: Any) -> list[str]:
        found = [name.removeprefix("comp_") for name, _l in COMPONENTS if getattr(obj, name)]
        return [*found, "ibm"] if obj.has_ibm else found

    @staticmethod
    def resolve_evaluations(obj: BersinarVillage) -> list[dict[str, Any]]:
        return [
            {"evaluated_on": e.evaluated_on.isoformat(), "evaluator": e.evaluator, "summary": e.summary}
            for e in obj.evaluations.all()
        ]


class MapVillageOut(Schema):
    code: str
    name: str
    label: str
    lat: float | None
    lon: float | None
    unit: dict[str, Any] | None
    bersinar: dict[str, Any] | None
    ikrn: dict[str, Any] | None


class MapHotspotOut(Schema):
    id: str
    label: str
    kind: str
    kind_label: str
    rw: str
    lat: float | None
    lon: float | None
    village: str


class MapOut(Schema):
    tile_url: str
    year: int | None
    years: list[int]
    villages: list[MapVillageOut]
    villages_without_point: int
    hotspots_allowed: bool
    hotspots: list[MapHotspotOut] | None


class HotspotIn(Schema):
    id: UUID | None = None
    mapping_id: int
    label: str
    kind: str
    rw: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    notes: str = ""


# --- situation mapping ---------------------------------------------------------


@router.get(
    "/situations",
    response=list[SituationOut],
    url_name="mapping_situation_list",
    summary="Situation mappings in scope",
)
def situations(request: HttpRequest, unit_id: int | None = None) -> list[SituationMapping]:
    require(request.user, MappingPerm.SITUATION_VIEW)
    return list(situation_list(user=request.user, unit_id=unit_id))


@router.get(
    "/situations/{situation_id}",
    response=SituationDetailOut,
    url_name="mapping_situation_get",
    summary="One situation mapping with estimates, resources, stakeholders (and hotspots if allowed)",
)
def situation(request: HttpRequest, situation_id: int) -> SituationMapping:
    m = situation_get(user=request.user, pk=situation_id)
    if user_can(request.user, MappingPerm.HOTSPOTS_VIEW):
        m.visible_hotspots = list(hotspot_list(user=request.user, mapping=m))  # type: ignore[attr-defined]
    return m


@router.get(
    "/hotspots",
    response=list[HotspotOut],
    url_name="mapping_hotspot_list",
    summary="Hotspots (sensitive: the unit and its supervising staff only)",
)
def hotspots(request: HttpRequest, mapping_id: int | None = None) -> list[Hotspot]:
    require(request.user, MappingPerm.HOTSPOTS_VIEW)
    qs = hotspot_list(user=request.user)
    if mapping_id:
        qs = qs.filter(mapping_id=mapping_id)
    return list(qs)


@router.post(
    "/hotspots",
    response={200: HotspotOut, 201: HotspotOut},
    url_name="mapping_hotspot_create",
    auth=requiring(MappingPerm.EDIT),
    summary="Record a hotspot (idempotent with a client-generated id)",
)
def hotspot_new(request: HttpRequest, payload: HotspotIn) -> Status:
    require(request.user, MappingPerm.HOTSPOTS_VIEW)
    mapping = situation_get(user=request.user, pk=payload.mapping_id)
    hotspot, created = hotspot_create(
        actor=request.user,
        request=request,
        mapping=mapping,
        label=payload.label,
        kind=payload.kind,
        rw=payload.rw,
        latitude=payload.latitude,
        longitude=payload.longitude,
        notes=payload.notes,
        hotspot_id=payload.id,
    )
    return Status(201 if created else 200, hotspot)


@router.get(
    "/hotspots/{hotspot_id}", response=HotspotOut, url_name="mapping_hotspot_get", summary="One hotspot"
)
def hotspot(request: HttpRequest, hotspot_id: UUID) -> Hotspot:
    return hotspot_get(user=request.user, pk=hotspot_id)


# --- IKRN ----------------------------------------------------------------------


@router.get(
    "/ikrn",
    response=list[IkrnOut],
    url_name="mapping_ikrn_list",
    summary="IKRN results per village per year, in scope",
)
def ikrn(request: HttpRequest, filters: Query[IkrnFilters]) -> list[IkrnAssessment]:
    require(request.user, MappingPerm.VIEW)
    qs = ikrn_list(
        user=request.user,
        area=filters.province,
        year=filters.year,
        category=filters.category,
        prone_only=filters.prone_only,
    )
    return list(qs[:2000])


@router.get(
    "/ikrn/rule",
    response=list[ThresholdOut],
    url_name="mapping_ikrn_rule",
    summary="The classification rule in force",
)
def ikrn_rule(request: HttpRequest) -> list[Any]:
    require(request.user, MappingPerm.VIEW)
    return list(current_rule())


@router.get(
    "/ikrn/prone",
    response=ProneOut,
    url_name="mapping_prone_areas",
    summary="Drug-prone villages of a province in a year, IBM coverage and change over years",
)
def prone(request: HttpRequest, province: str = "", year: int | None = None) -> dict[str, Any]:
    require(request.user, MappingPerm.VIEW)
    codes = list(provinces_in_scope(user=request.user).values_list("code", flat=True))
    province = province or (codes[0] if codes else "")
    if province not in codes:
        raise Http404
    report = prone_area_report(user=request.user, province=province, year=year)
    return {
        "province": province,
        "year": report["year"],
        "villages": list(report["villages"] or []),
        "years": [
            {
                "year": ln.year,
                "recorded": ln.recorded,
                "prone": ln.prone,
                "prone_with_ibm": ln.prone_with_ibm,
                "published": [f.prone_areas for f in ln.published],
            }
            for ln in report["lines"]
        ],
    }


@router.post(
    "/ikrn/imports",
    response={202: ImportOut},
    url_name="mapping_ikrn_import_create",
    auth=requiring(MappingPerm.IKRN_MANAGE),
    summary="Upload an IKRN file (CSV or XLSX); it is imported in the background",
)
def ikrn_import_new(request: HttpRequest, file: File[UploadedFile]) -> Status:
    job = ikrn_import_request(
        actor=request.user, request=request, file_name=file.name or "ikrn.csv", content=file.read()
    )
    return Status(202, job)


@router.get(
    "/ikrn/imports/{import_id}",
    response=ImportOut,
    url_name="mapping_ikrn_import_get",
    summary="The state and result of an IKRN import (own imports only)",
)
def ikrn_import(request: HttpRequest, import_id: UUID) -> IkrnImport:
    return ikrn_import_get(user=request.user, pk=import_id)


@router.get("/ikrn/{ikrn_id}", response=IkrnOut, url_name="mapping_ikrn_get", summary="One IKRN result")
def ikrn_one(request: HttpRequest, ikrn_id: int) -> IkrnAssessment:
    return ikrn_get(user=request.user, pk=ikrn_id)


# --- Desa Bersinar -------------------------------------------------------------


@router.get(
    "/bersinar",
    response=list[BersinarOut],
    url_name="mapping_bersinar_list",
    summary="Desa Bersinar villages in scope, with IBM presence derived from the unit register",
)
def bersinar(request: HttpRequest, status: str = "", province: str = "") -> list[BersinarVillage]:
    require(request.user, MappingPerm.VIEW)
    return list(
        bersinar_list(user=request.user, status=status, area=province).prefetch_related("evaluations")
    )


@router.get(
    "/bersinar/{bersinar_id}",
    response=BersinarOut,
    url_name="mapping_bersinar_get",
    summary="One Desa Bersinar",
)
def bersinar_one(request: HttpRequest, bersinar_id: int) -> BersinarVillage:
    return bersinar_get(user=request.user, pk=bersinar_id)


# --- map -----------------------------------------------------------------------


@router.get(
    "/map",
    response=MapOut,
    url_name="mapping_map_data",
    summary="Layers of the map page (hotspots only for roles allowed to see them)",
)
def map_layers(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    require(request.user, MappingPerm.VIEW)
    return map_data(user=request.user, year=year)
