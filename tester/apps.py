from django.apps import AppConfig


class TesterConfig(AppConfig):
    name = "tester"
    verbose_name = "Tracker tester"
