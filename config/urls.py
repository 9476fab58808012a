from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from pulih.api.api import api

urlpatterns = [
    path("", include("pulih.home.urls")),
    path("accounts/", include("pulih.accounts.urls")),
    path("offices/", include("pulih.organisations.urls")),
    path("audit/", include("pulih.audit.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

# Domain apps added by later milestones mount themselves here when present.
for prefix, module in [
    ("units/", "pulih.units.urls"),
    ("clients/", "pulih.clients.urls"),
    ("screening/", "pulih.screening.urls"),
    ("referrals/", "pulih.referrals.urls"),
    ("mapping/", "pulih.mapping.urls"),
    ("prevention/", "pulih.prevention.urls"),
    ("reports/", "pulih.reports.urls"),
    ("sync/", "pulih.sync.urls"),
    ("app/", "pulih.fieldapp.urls"),
    ("privacy/", "pulih.privacy.urls"),
]:
    if (
        find_spec(module.rsplit(".", 1)[0])
        and find_spec(module)
        and module.split(".")[1] in {app.split(".")[-1] for app in settings.INSTALLED_APPS}
    ):
        urlpatterns.append(path(prefix, include(module)))
handler404 = "pulih.core.views.not_found"
