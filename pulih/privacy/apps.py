from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "pulih.privacy"
    label = "privacy"
    verbose_name = "Data-subject rights and retention"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action
        from pulih.privacy import gatherers

        gatherers.register_all()
        register(NavItem("privacy", _("Data-subject rights"), "privacy:home", "privacy.manage", order=940))
        register_action(
            HomeAction(
                "privacy",
                _("Handle data-subject requests"),
                _(
                    "Access, rectification, restriction and erasure within 3 × 24 hours; "
                    "retention; breach queries."
                ),
                "privacy:home",
                "privacy.manage",
                order=5,
            )
        )
