"""Models of village mapping, IKRN and Desa Bersinar (one module per sub-domain)."""

from pulih.mapping.models.bersinar import BersinarEvaluation, BersinarStatus, BersinarVillage
from pulih.mapping.models.ikrn import (
    CategorySource,
    IkrnAssessment,
    IkrnCategory,
    IkrnImport,
    IkrnImportStatus,
    IkrnThreshold,
    ProvinceProneFigure,
)
from pulih.mapping.models.situation import (
    Hotspot,
    HotspotKind,
    MappingStakeholder,
    Resource,
    ResourceKind,
    SituationMapping,
    StakeholderKind,
    Support,
    UseEstimate,
    VillagePoint,
)

__all__ = [
    "BersinarEvaluation",
    "BersinarStatus",
    "BersinarVillage",
    "CategorySource",
    "Hotspot",
    "HotspotKind",
    "IkrnAssessment",
    "IkrnCategory",
    "IkrnImport",
    "IkrnImportStatus",
    "IkrnThreshold",
    "MappingStakeholder",
    "ProvinceProneFigure",
    "Resource",
    "ResourceKind",
    "SituationMapping",
    "StakeholderKind",
    "Support",
    "UseEstimate",
    "VillagePoint",
]
