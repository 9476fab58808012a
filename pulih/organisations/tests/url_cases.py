from pulih.testing.url_cases import ALL_ROLES, UrlCase

DIRECTORY = "the office directory is reference data; administrators edit it nationally"

CASES = [
    # The office directory is reference data every signed-in user may read.
    UrlCase("organisations:office_list", ALL_ROLES),
    UrlCase("organisations:office_detail", ALL_ROLES, kwargs=lambda w: {"pk": w.bnnk_pkp.pk}, sees_all=DIRECTORY),
    UrlCase("organisations:office_create", frozenset({"admin"})),
    UrlCase(
        "organisations:office_edit", frozenset({"admin"}), kwargs=lambda w: {"pk": w.bnnk_pkp.pk}, sees_all=DIRECTORY
    ),
    UrlCase("api:offices", ALL_ROLES),
    UrlCase("api:office", ALL_ROLES, kwargs=lambda w: {"office_id": w.bnnk_pkp.pk}, sees_all=DIRECTORY),
]
