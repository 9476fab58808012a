from django.urls import path

from pulih.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list_view, name="list"),
    path("worklist/", views.worklist_view, name="worklist"),
    path("outreach/", views.outreach_list_view, name="outreach_list"),
    path("outreach/new/", views.outreach_create_view, name="outreach_create"),
    path("register/", views.register_view, name="register"),
    path("sessions/new/", views.session_create_view, name="session_create"),
    path("<uuid:pk>/", views.client_detail_view, name="detail"),
    path("<uuid:pk>/edit/", views.client_edit_view, name="edit"),
    path("<uuid:pk>/card/", views.client_card_view, name="card"),
    path("<uuid:pk>/consents/new/", views.consent_create_view, name="consent_create"),
    path("consents/<uuid:pk>/withdraw/", views.consent_withdraw_view, name="consent_withdraw"),
    path("<uuid:pk>/plan/", views.plan_create_view, name="plan_create"),
    path("<uuid:pk>/notes/new/", views.note_create_view, name="note_create"),
    path("<uuid:pk>/urine-tests/new/", views.urine_create_view, name="urine_create"),
    path("<uuid:pk>/contacts/new/", views.contact_create_view, name="contact_create"),
    path("contacts/<uuid:pk>/done/", views.contact_done_view, name="contact_done"),
    path("<uuid:pk>/close/", views.close_view, name="close"),
    path("<uuid:pk>/reopen/", views.reopen_view, name="reopen"),
    path("<uuid:pk>/completion-letter/", views.completion_letter_view, name="completion_letter"),
    path("<uuid:pk>/access-log/", views.access_log_view, name="access_log"),
]
