from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pulih.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pulih.accounts.roles import Perm
        from pulih.core.navigation import NavItem, register
        from pulih.home.actions import HomeAction
        from pulih.home.actions import register as register_action

        register(NavItem("users", _("Users"), "accounts:user_list", Perm.USERS_MANAGE, order=900))
        register_action(
            HomeAction(
                "users",
                _("Manage users"),
                _("Create accounts for staff and agents, set roles, disable access."),
                "accounts:user_list",
                Perm.USERS_MANAGE,
                order=900,
            )
        )
