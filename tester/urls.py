from django.urls import path

from . import views

app_name = "tester"
urlpatterns = [
    path("", views.tester_page, name="page"),
    path("try/", views.try_phrases, name="try"),
]
