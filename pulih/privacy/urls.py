from django.urls import path

from pulih.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:pk>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:pk>/verify/", views.request_verify, name="request_verify"),
    path("requests/<uuid:pk>/close/", views.request_close, name="request_close"),
    path("requests/<uuid:pk>/export/", views.request_export_html, name="request_export"),
    path("requests/<uuid:pk>/export.json", views.request_export_json, name="request_export_json"),
    path("requests/<uuid:pk>/rectify/", views.request_rectify, name="request_rectify"),
    path("requests/<uuid:pk>/restrict/", views.request_restrict, name="request_restrict"),
    path("requests/<uuid:pk>/lift/", views.restriction_lift, name="restriction_lift"),
    path("requests/<uuid:pk>/erase/", views.request_erase, name="request_erase"),
    path("retention/", views.retention, name="retention"),
    path("retention/<int:pk>/", views.retention_rule_edit, name="retention_rule_edit"),
    path("breach/", views.breach, name="breach"),
]
