from django.urls import path

from pulih.referrals.views import providers, referrals

app_name = "referrals"

urlpatterns = [
    path("", referrals.referral_list_view, name="list"),
    path("new/<uuid:client_id>/", referrals.referral_create_view, name="create"),
    path("<uuid:pk>/", referrals.referral_detail_view, name="detail"),
    path("<uuid:pk>/letter.pdf", referrals.referral_letter_view, name="letter"),
    path("<uuid:pk>/<slug:action>/", referrals.referral_action_view, name="action"),
    path("providers/", providers.provider_list_view, name="provider_list"),
    path("providers/new/", providers.provider_create_view, name="provider_create"),
    path("providers/<int:pk>/", providers.provider_detail_view, name="provider_detail"),
    path("providers/<int:pk>/edit/", providers.provider_edit_view, name="provider_edit"),
]
