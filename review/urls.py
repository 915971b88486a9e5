from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("quality/", views.quality_report, name="quality"),
    path("quality/export.csv", views.quality_export, name="quality_export"),
    path("quality/export.xlsx", views.quality_export_xlsx, name="quality_export_xlsx"),
]
