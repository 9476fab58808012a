from pulih.testing.url_cases import ALL_ROLES, UrlCase

NATIONAL = "administrators manage every account, nationally"

CASES = [
    UrlCase("accounts:login", ALL_ROLES, public=True),
    UrlCase("accounts:logout", ALL_ROLES, public=True, methods=("post",)),
    UrlCase("accounts:user_list", frozenset({"admin"})),
    UrlCase("accounts:user_create", frozenset({"admin"})),
    UrlCase("accounts:user_edit", frozenset({"admin"}), kwargs=lambda w: {"pk": w.alice.pk}, sees_all=NATIONAL),
    UrlCase("accounts:tokens", ALL_ROLES),
    UrlCase("accounts:twofactor", ALL_ROLES),
    UrlCase("accounts:twofactor_setup", ALL_ROLES),
    # The second sign-in step only works for a half-signed-in session.
    UrlCase("accounts:twofactor_verify", ALL_ROLES, public=True),
    UrlCase(
        "accounts:user_end_sessions",
        frozenset({"admin"}),
        methods=("post",),
        kwargs=lambda w: {"pk": w.alice.pk},
        sees_all=NATIONAL,
    ),
    # Tokens are personal: anyone else's token is out of scope for everybody.
    UrlCase(
        "accounts:token_revoke",
        ALL_ROLES,
        methods=("post",),
        kwargs=lambda w: {"pk": w.extra_token.pk},
        out_of_scope=lambda w, user: {"pk": w.extra_token.pk},
    ),
    UrlCase("api:me", ALL_ROLES),
    UrlCase("api:token_list", ALL_ROLES),
    UrlCase("api:token_new", ALL_ROLES, methods=("post",)),
    UrlCase(
        "api:token_delete",
        ALL_ROLES,
        methods=("delete",),
        kwargs=lambda w: {"token_id": w.extra_token.pk},
        out_of_scope=lambda w, user: {"token_id": w.extra_token.pk},
    ),
    UrlCase("api:api-root", ALL_ROLES, public=True),
]
