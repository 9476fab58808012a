from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pulih.reports"
    label = "reports"
    verbose_name = "Indicators, reports and dashboards"

    def ready(self) -> None:
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action
        from pulih.reports.access import ReportPerm

        register(NavItem("dashboard", _("Dashboard"), "reports:dashboard", ReportPerm.DASHBOARD, order=600))
        register(
            NavItem(
                "monthly_reports", _("Monthly reports"), "reports:report_list", ReportPerm.VIEW, order=610
            )
        )
        register(NavItem("exports", _("Downloads"), "reports:exports", ReportPerm.EXPORT, order=620))
        register_action(
            HomeAction(
                "monthly_report",
                _("Monthly report"),
                _("Write and submit the unit's laporan bulanan; the figures are counted for you."),
                "reports:report_list",
                ReportPerm.SUBMIT,
                order=600,
            )
        )
        register_action(
            HomeAction(
                "verify_reports",
                _("Monthly reports to verify"),
                _("Verify or return the units' monthly reports; see which units are late."),
                "reports:report_list",
                ReportPerm.VERIFY,
                order=600,
            )
        )
        register_action(
            HomeAction(
                "dashboard",
                _("Dashboard"),
                _("Indicators of your area: trends, breakdowns and the league table of units."),
                "reports:dashboard",
                ReportPerm.DASHBOARD,
                order=610,
            )
        )
