from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "pulih.mapping"
    label = "mapping"
    verbose_name = "Village mapping"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action
        from pulih.mapping.access import MappingPerm

        register(
            NavItem(
                "mapping", _("Mapping and drug-prone areas"), "mapping:index", MappingPerm.VIEW, order=500
            )
        )
        register(NavItem("mapping_map", _("Map"), "mapping:map", MappingPerm.VIEW, order=505))
        register_action(
            HomeAction(
                "mapping_situation",
                _("Village situation mapping"),
                _("Estimates, hotspots, risk factors, resources and stakeholders of your village."),
                "mapping:situation_list",
                MappingPerm.EDIT,
                order=500,
            )
        )
        register_action(
            HomeAction(
                "mapping_prone",
                _("Drug-prone areas"),
                _("Kawasan rawan narkoba per province and year, with IBM coverage."),
                "mapping:prone_areas",
                MappingPerm.IKRN_MANAGE,
                order=510,
            )
        )
