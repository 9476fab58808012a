from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "pulih.prevention"
    label = "prevention"
    verbose_name = "Community prevention"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action
        from pulih.prevention.access import PreventionPerm

        register(
            NavItem(
                "prevention",
                _("Community activities"),
                "prevention:activity_list",
                PreventionPerm.VIEW,
                order=520,
            )
        )
        register_action(
            HomeAction(
                "prevention_record",
                _("Record a community activity"),
                _("Socialisation, house-to-house education, appeals, urine-test campaigns: counts only."),
                "prevention:activity_create",
                PreventionPerm.EDIT,
                order=520,
            )
        )
