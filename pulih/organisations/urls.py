from django.urls import path

from pulih.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.office_list_view, name="office_list"),
    path("new/", views.office_create_view, name="office_create"),
    path("<int:pk>/", views.office_detail_view, name="office_detail"),
    path("<int:pk>/edit/", views.office_edit_view, name="office_edit"),
]
