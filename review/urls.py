from django.urls import path

from . import hit_quality_views, impact_views, selection_views, views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("impact/<int:first>/<int:last>/", impact_views.group_impact, name="impact"),
    path(
        "impact/tracker/<int:first>/<int:last>/",
        impact_views.tracker_impact,
        name="tracker_impact",
    ),
    path("quality/", views.quality_report, name="quality"),
    path("quality/selections/", selection_views.quality_selections, name="quality_selections"),
    path("quality/trackers/", hit_quality_views.quality_trackers, name="quality_trackers"),
    path("quality/export.csv", views.quality_export, name="quality_export"),
    path("quality/export.xlsx", views.quality_export_xlsx, name="quality_export_xlsx"),
]
