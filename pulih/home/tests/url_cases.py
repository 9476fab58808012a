from pulih.testing.url_cases import ALL_ROLES, UrlCase

CASES = [
    UrlCase("home:index", ALL_ROLES),
    UrlCase("home:healthz", ALL_ROLES, public=True),
]
