from django.urls import path

from pulih.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.activity_list_view, name="activity_list"),
    path("new/", views.activity_create_view, name="activity_create"),
    path("<uuid:pk>/", views.activity_detail_view, name="activity_detail"),
    path("<uuid:pk>/edit/", views.activity_edit_view, name="activity_edit"),
]
