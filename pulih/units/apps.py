from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "pulih.units"
    label = "units"
    verbose_name = "IBM units and programme management"

    def ready(self) -> None:
        from pulih.accounts.roles import Perm
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action

        register(NavItem("units", _("IBM units"), "units:unit_list", Perm.UNITS_VIEW, order=200))
        register_action(HomeAction(
            "units", _("IBM units"), _("Units, recovery agents, training and supervision."),
            "units:unit_list", Perm.UNITS_VIEW, order=200,
        ))
        register_action(HomeAction(
            "unit_create", _("Record a new IBM unit"),
            _("Propose a unit in a village of your work area."),
            "units:unit_create", Perm.UNITS_MANAGE, order=210,
        ))
