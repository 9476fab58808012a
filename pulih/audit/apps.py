from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pulih.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action

        register(NavItem("audit", _("Audit trail"), "audit:list", "audit.view", order=950))
        register_action(
            HomeAction(
                "audit",
                _("Review the audit trail"),
                _("Who signed in, what changed, and who viewed identified client data."),
                "audit:list",
                "audit.view",
                order=10,
            )
        )
