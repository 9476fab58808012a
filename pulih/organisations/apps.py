from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "pulih.organisations"
    label = "organisations"
    verbose_name = "Offices and units"

    def ready(self) -> None:
        from pulih.accounts.roles import Perm
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action

        register(NavItem("offices", _("Offices"), "organisations:office_list", Perm.OFFICES_VIEW, order=800))
        register_action(
            HomeAction(
                "offices",
                _("Manage offices"),
                _("BNN RI, BNNP and BNNK offices and their work areas."),
                "organisations:office_list",
                Perm.OFFICES_MANAGE,
                order=890,
            )
        )
