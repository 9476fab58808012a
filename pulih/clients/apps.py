from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "pulih.clients"
    label = "clients"
    verbose_name = _("Client journey")

    def ready(self) -> None:
        from pulih.accounts.roles import Perm
        from pulih.clients import providers, timeline, worklist
        from pulih.core.navigation import NavItem
        from pulih.core.navigation import register as nav_register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as action_register

        timeline.register(providers.client_timeline)
        worklist.register(providers.due_contacts)
        worklist.register(providers.due_plan_reviews)
        nav_register(NavItem("clients", _("Clients"), "clients:list", Perm.CLIENTS_VIEW, order=20))
        nav_register(NavItem("worklist", _("Work list"), "clients:worklist", Perm.CLIENTS_EDIT, order=21))
        nav_register(NavItem("outreach", _("Outreach"), "clients:outreach_list", Perm.CLIENTS_EDIT, order=22))
        action_register(
            HomeAction(
                "clients-worklist",
                _("My work list"),
                _("Monitoring contacts, plan reviews and referrals that are due or overdue."),
                "clients:worklist",
                Perm.CLIENTS_EDIT,
                order=10,
            )
        )
        action_register(
            HomeAction(
                "clients-outreach",
                _("Log an outreach contact"),
                _("A first contact, anonymous until the person consents."),
                "clients:outreach_create",
                Perm.CLIENTS_EDIT,
                order=11,
            )
        )
        action_register(
            HomeAction(
                "clients-list",
                _("Clients"),
                _("Find a client, open the client page, register a new client."),
                "clients:list",
                Perm.CLIENTS_VIEW,
                order=12,
            )
        )
