from django.urls import path

from pulih.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("indicators/", views.indicator_list_view, name="indicators"),
    path("refresh/", views.refresh_view, name="refresh"),
    path("monthly/", views.report_list_view, name="report_list"),
    path("monthly/open/", views.report_open_view, name="report_open"),
    path("monthly/late/", views.late_view, name="late"),
    path("monthly/<uuid:pk>/", views.report_detail_view, name="report_detail"),
    path("monthly/<uuid:pk>/edit/", views.report_edit_view, name="report_edit"),
    path("monthly/<uuid:pk>/action/", views.report_action_view, name="report_action"),
    path("exports/", views.export_list_view, name="exports"),
    path("exports/<uuid:pk>/status/", views.export_status_view, name="export_status"),
    path("exports/<uuid:pk>/download/", views.export_download_view, name="export_download"),
]
