from django.urls import path

from pulih.units.views import activities, people, units

app_name = "units"

urlpatterns = [
    path("", units.unit_list_view, name="unit_list"),
    path("new/", units.unit_create_view, name="unit_create"),
    path("<int:pk>/", units.unit_detail_view, name="unit_detail"),
    path("<int:pk>/edit/", units.unit_edit_view, name="unit_edit"),
    path("<int:pk>/status/", units.unit_status_view, name="unit_status"),
    path("<int:pk>/agents/new/", people.agent_create_view, name="agent_create"),
    path("<int:pk>/stakeholders/new/", people.stakeholder_create_view, name="stakeholder_create"),
    path("<int:pk>/events/new/", activities.event_create_view, name="event_create"),
    path("<int:pk>/visits/new/", activities.visit_create_view, name="visit_create"),
    path("<int:pk>/evaluations/new/", activities.evaluation_create_view, name="evaluation_create"),
    path("<int:pk>/plan/<int:year>/", activities.workplan_edit_view, name="workplan_edit"),
    path("agents/<int:pk>/", people.agent_detail_view, name="agent_detail"),
    path("agents/<int:pk>/edit/", people.agent_edit_view, name="agent_edit"),
    path("agents/<int:pk>/move/", people.agent_move_view, name="agent_move"),
    path("agents/<int:pk>/leave/", people.agent_leave_view, name="agent_leave"),
    path("agents/<int:pk>/login/", people.agent_login_view, name="agent_login"),
    path("stakeholders/<int:pk>/edit/", people.stakeholder_edit_view, name="stakeholder_edit"),
    path("events/<int:pk>/", activities.event_detail_view, name="event_detail"),
    path("events/<int:pk>/edit/", activities.event_edit_view, name="event_edit"),
    path("events/<int:pk>/participants/", activities.event_participants_view, name="event_participants"),
    path("events/<int:pk>/attendance/", activities.event_attendance_view, name="event_attendance"),
    path("visits/<int:pk>/", activities.visit_detail_view, name="visit_detail"),
    path("visits/<int:pk>/follow-ups/new/", activities.followup_create_view, name="followup_create"),
    path("follow-ups/<int:pk>/complete/", activities.followup_complete_view, name="followup_complete"),
]
