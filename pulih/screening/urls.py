from django.urls import path

from pulih.screening import views

app_name = "screening"

urlpatterns = [
    path("start/<uuid:client_id>/", views.start_view, name="start"),
    path("client/<uuid:client_id>/", views.client_list_view, name="client_list"),
    path("<uuid:pk>/", views.detail_view, name="detail"),
    path("<uuid:pk>/interview/", views.interview_view, name="interview"),
    path("<uuid:pk>/finish/", views.finish_view, name="finish"),
    path("<uuid:pk>/correct/", views.correct_view, name="correct"),
    path("<uuid:pk>/discard/", views.discard_view, name="discard"),
]
