"""`python -m benchmarks.admin_site.fill DATA.json PASSWORD`: create the tables, the
superuser `bench` and the rows (the same objects the Management API holds)."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.admin_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from benchmarks.admin_site.models import Group, Tracker  # noqa: E402


def main(path: str, password: str) -> None:
    call_command("migrate", run_syncdb=True, verbosity=0)
    get_user_model().objects.create_superuser("bench", password=password)
    with open(path) as file:
        objects = json.load(file)
    Tracker.objects.bulk_create(
        Tracker(
            name=t["name"],
            vocabulary=t["vocabulary"],
            description=t["description"],
            categories=t["categories"],
            languages=t["languages"],
            exclude_vocabulary=t["excludeVocabulary"],
        )
        for t in objects["trackers"]
    )
    Group.objects.bulk_create(Group(**g) for g in objects["groups"])


if __name__ == "__main__":
    main(*sys.argv[1:])
