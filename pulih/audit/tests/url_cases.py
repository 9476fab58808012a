from pulih.testing.url_cases import UrlCase

CASES = [UrlCase("audit:list", frozenset({"dpo"}))]
