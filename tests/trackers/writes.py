"""Audited tracker writes for tests, in the words the tests use, through the shared services
(resources/services.py) with the trackers descriptor."""

from __future__ import annotations

from resources import services
from resources.services import ImportReport
from trackers.resource import TRACKERS

__all__ = ["ImportReport"]

PHRASES = [
    "special promotion",
    "discount for new customers",
    "month special",
    "sale right now",
    "limited offer",
]


def form(
    name="Leads Tracker", phrases=("I need", "require", "use case", "discounts", "quotes"), **extra
):
    """The editor's POST body for a name and phrases."""
    return {"name": name, "phrases": "\n".join(phrases), **extra}


def tracker_create(*, client, name, vocabulary, ctx):
    data = {"name": name, "vocabulary": list(vocabulary)}
    return services.create(client=client, resource=TRACKERS, data=data, ctx=ctx)


def tracker_update(*, client, tracker_id, name, vocabulary, fingerprint, ctx, action="update"):
    return services.update(
        client=client,
        resource=TRACKERS,
        object_id=tracker_id,
        data={"name": name, "vocabulary": list(vocabulary)},
        fingerprint=fingerprint,
        ctx=ctx,
        action=action,
    )


def tracker_delete(*, client, tracker_id, ctx):
    return services.delete(client=client, resource=TRACKERS, object_id=tracker_id, ctx=ctx)


def tracker_restore(*, client, state, ctx):
    return services.restore(client=client, resource=TRACKERS, state=state, ctx=ctx)


def tracker_import_chunk(*, client, items, ctx, report):
    services.import_chunk(client=client, resource=TRACKERS, items=items, ctx=ctx, report=report)
