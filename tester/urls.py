from django.urls import path

from . import across_views, views

app_name = "tester"
urlpatterns = [
    path("", views.tester_page, name="page"),
    path("try/", views.try_phrases, name="try"),
    path("across/", across_views.across, name="across"),
]
