from pulih.testing.url_cases import ALL_ROLES, UrlCase

CASES = [
    UrlCase("api:search", ALL_ROLES),
    UrlCase("api:provinces", ALL_ROLES),
]
