from pulih.testing.url_cases import UrlCase

CASES = [
    # The shell holds no data (it comes through the sync API); it needs a signed-in user.
    UrlCase(
        "fieldapp:shell",
        frozenset({"agent", "coordinator", "supervisor", "office_staff", "partner", "dpo", "admin"}),
    ),
    # The service worker and the manifest are static program files, public like /static/.
    UrlCase("fieldapp:service_worker", frozenset(), public=True),
    UrlCase("fieldapp:manifest", frozenset(), public=True),
]
