from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "pulih.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action
        from pulih.referrals.access import ReferralPerm

        register(NavItem("referrals", _("Referrals"), "referrals:list", ReferralPerm.VIEW, order=300))
        register(
            NavItem(
                "providers",
                _("Service providers"),
                "referrals:provider_list",
                ReferralPerm.PROVIDERS_VIEW,
                order=310,
            )
        )
        register_action(
            HomeAction(
                "referrals",
                _("Referrals"),
                _("Follow up referrals: answers from the destination, overdue ones, returns for aftercare."),
                "referrals:list",
                ReferralPerm.MANAGE,
                order=300,
            )
        )
        register_action(
            HomeAction(
                "providers",
                _("Service providers"),
                _("Puskesmas, hospitals, BNN clinics, IPWL and other places to refer to."),
                "referrals:provider_list",
                ReferralPerm.PROVIDERS_MANAGE,
                order=880,
            )
        )
        # The client page's timeline and the work list belong to pulih.clients;
        # feed them when that app provides its registries.
        if find_spec("pulih.clients.timeline") and find_spec("pulih.clients.worklist"):
            from pulih.clients import timeline, worklist
            from pulih.referrals.feeds import timeline_entries, worklist_items

            timeline.register(timeline_entries)
            worklist.register(worklist_items)
