from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    label = "review"
    verbose_name = "Review"

    def ready(self) -> None:
        from audit import chain

        from .standings import record

        if record not in chain.FOLLOWERS:
            chain.FOLLOWERS.append(record)
