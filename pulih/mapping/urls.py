from django.urls import path

from pulih.mapping.views import bersinar, ikrn, map, situation

app_name = "mapping"

urlpatterns = [
    path("", situation.index_view, name="index"),
    path("situations/", situation.situation_list_view, name="situation_list"),
    path("situations/new/", situation.situation_create_view, name="situation_create"),
    path("situations/compare/", situation.situation_compare_view, name="situation_compare"),
    path("situations/<int:pk>/", situation.situation_detail_view, name="situation_detail"),
    path("situations/<int:pk>/edit/", situation.situation_edit_view, name="situation_edit"),
    path("situations/<int:pk>/estimates/", situation.estimate_set_view, name="estimate_set"),
    path("situations/<int:pk>/resources/", situation.resource_add_view, name="resource_add"),
    path("situations/<int:pk>/stakeholders/", situation.stakeholder_add_view, name="stakeholder_add"),
    path("situations/<int:pk>/hotspots/new/", situation.hotspot_create_view, name="hotspot_create"),
    path("hotspots/<uuid:pk>/edit/", situation.hotspot_edit_view, name="hotspot_edit"),
    path("hotspots/<uuid:pk>/delete/", situation.hotspot_delete_view, name="hotspot_delete"),
    path("ikrn/", ikrn.ikrn_list_view, name="ikrn_list"),
    path("ikrn/import/", ikrn.ikrn_import_view, name="ikrn_import"),
    path("ikrn/import/<uuid:pk>/", ikrn.ikrn_import_detail_view, name="ikrn_import_detail"),
    path("ikrn/template.<str:fmt>", ikrn.ikrn_template_view, name="ikrn_template"),
    path("ikrn/rule/", ikrn.ikrn_rule_view, name="ikrn_rule"),
    path("rawan/", ikrn.prone_areas_view, name="prone_areas"),
    path("bersinar/", bersinar.bersinar_list_view, name="bersinar_list"),
    path("bersinar/new/", bersinar.bersinar_create_view, name="bersinar_create"),
    path("bersinar/<int:pk>/", bersinar.bersinar_detail_view, name="bersinar_detail"),
    path("bersinar/<int:pk>/edit/", bersinar.bersinar_edit_view, name="bersinar_edit"),
    path("bersinar/<int:pk>/advance/", bersinar.bersinar_advance_view, name="bersinar_advance"),
    path("bersinar/<int:pk>/evaluations/", bersinar.bersinar_evaluate_view, name="bersinar_evaluate"),
    path("map/", map.map_view, name="map"),
    path("villages/<str:code>/point/", map.village_point_view, name="village_point"),
]
