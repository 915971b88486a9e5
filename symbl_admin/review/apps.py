from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "symbl_admin.review"
    label = "review"
    verbose_name = "Review"
