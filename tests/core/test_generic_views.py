"""The generic views, once for every resource (trackers and groups) × role × full page or
htmx partial, and the bugs the two hand-written copies had drifted into (now fixed once)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from audit.services import AuditContext
from groups.resource import GROUPS
from resources import services
from resources.resource import Resource
from trackers.resource import TRACKERS

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    resource: Resource
    first: dict  # values to create it with
    second: dict  # a later version
    third: dict  # another one, made outside the dashboard

    def form(self, values: dict, **extra) -> dict:
        """The editor's POST for `values`."""
        if self.resource is TRACKERS:
            data = {"name": values["name"], "phrases": "\n".join(values["vocabulary"])}
        else:
            data = {
                "mode": "text",
                "name": values["name"],
                "description": values["description"],
                "criteria_text": values["criteria"],
            }
        return {**data, **extra}


PHRASES = ["special promotion", "discount for new customers", "month special", "sale now"]
CASES = [
    Case(
        TRACKERS,
        {"name": "Promotion Mention", "vocabulary": PHRASES},
        {"name": "Promotion Mention", "vocabulary": [*PHRASES, "limited offer"]},
        {"name": "Promotion Mention", "vocabulary": ["theirs only", *PHRASES[1:]]},
    ),
    Case(
        GROUPS,
        {
            "name": "John",
            "description": "All of John",
            "criteria": "conversation.metadata.agentId==john",
        },
        {
            "name": "John",
            "description": "Only John",
            "criteria": "conversation.metadata.agentId==john",
        },
        {"name": "John", "description": "Theirs", "criteria": "conversation.metadata.agentId==jo"},
    ),
]


@pytest.fixture(params=CASES, ids=lambda c: c.resource.plural)
def case(request):
    return request.param


def _create(api, case, values, who="alice"):
    ctx = AuditContext.system(who)
    return services.create(client=api, resource=case.resource, data=values, ctx=ctx)


def _update(api, case, obj, values, who="alice"):
    ctx = AuditContext.system(who)
    r = case.resource
    return services.update(
        client=api, resource=r, object_id=obj.id, data=values, fingerprint=obj.fingerprint, ctx=ctx
    )


# ------------------------------------------------------------------ pages × roles × htmx


def _paths(case, obj, entry):
    p = f"/{case.resource.plural}/"
    return {
        "list": (p, "view"),
        "detail": (f"{p}{obj.id}/", "view"),
        "delete": (f"{p}{obj.id}/delete/", "delete"),
        "revert": (f"{p}{obj.id}/revert/{entry}/", "revert"),
        "deleted": (f"{p}deleted/", "revert"),
        "import": (f"{p}import/", "import"),
        "export_json": (f"{p}export.json", "view"),
        "export_csv": (f"{p}export.csv", "view"),
        "export_xlsx": (f"{p}export.xlsx", "view"),
    }


ROLES = ["analyst", "lead", "auditor", "admin"]
PAGES = [
    "list",
    "detail",
    "delete",
    "revert",
    "deleted",
    "import",
    "export_json",
    "export_csv",
    "export_xlsx",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("screen", PAGES)
def test_every_generic_page_answers_each_role_as_its_permissions_say(
    role_client, api, case, role, screen, django_user_model
):
    obj = _create(api, case, case.first)
    obj = _update(api, case, obj, case.second)
    from audit.selectors import object_history

    entry = object_history(object_type=case.resource.noun, object_id=obj.id)[-1].seq
    path, action = _paths(case, obj, entry)[screen]
    client = role_client(role)
    user = django_user_model.objects.get(username=f"{role}-user")
    allowed = user.has_perm(case.resource.perm(action))
    response = client.get(path)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("screen", ["list", "delete", "import"])
def test_htmx_gets_only_the_region_and_a_full_page_otherwise(role_client, api, case, screen):
    obj = _create(api, case, case.first)
    path, _ = _paths(case, obj, 0)[screen]
    partial_region, page_region = {
        "list": (f'id="{case.resource.noun}-table"',) * 2,
        "delete": ("<dialog", f"<h1>Delete this {case.resource.noun}?</h1>"),
        "import": ('id="import-area"',) * 2,
    }[screen]
    client = role_client("admin")
    partial = client.get(path, HTTP_HX_REQUEST="true").content.decode()
    full = client.get(path).content.decode()
    assert partial_region in partial and "<html" not in partial
    assert page_region in full and "<html" in full


def test_the_list_shows_the_object_and_its_summary_row(role_client, api, case):
    obj = _create(api, case, case.first)
    body = role_client("analyst").get(f"/{case.resource.plural}/").content.decode()
    assert f'href="/{case.resource.plural}/{obj.id}/"' in body
    assert "1</strong> " + case.resource.noun in body


def test_delete_on_the_detail_page_is_a_button_that_works_without_javascript(
    role_client, api, case
):
    obj = _create(api, case, case.first)
    body = role_client("admin").get(f"/{case.resource.plural}/{obj.id}/").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*><button type="submit"', body)
    assert form and form.group(1) == f"/{case.resource.plural}/{obj.id}/delete/"
    assert not re.search(r"<a [^>]*>Delete</a>", body)


def test_exports_carry_ids_and_a_dated_file_name(role_client, api, case):
    obj = _create(api, case, case.first)
    client = role_client("auditor")
    as_json = client.get(f"/{case.resource.plural}/export.json")
    as_csv = client.get(f"/{case.resource.plural}/export.csv")
    assert json.loads(as_json.content)[0]["id"] == obj.id
    assert (
        b"".join(as_csv.streaming_content)
        .decode("utf-8-sig")
        .splitlines()[1]
        .startswith(f'"#{obj.id}"')  # marked: a spreadsheet keeps it text
    )
    for response, ext in ((as_json, "json"), (as_csv, "csv")):
        name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
        assert re.fullmatch(rf"{case.resource.plural}-\d{{8}}-\d{{6}}\.{ext}", name)


def test_an_export_imports_again_unchanged(role_client, api, case):
    obj = _create(api, case, case.first)
    client = role_client("admin")
    exported = b"".join(client.get(f"/{case.resource.plural}/export.csv").streaming_content)
    services.delete(
        client=api, resource=case.resource, object_id=obj.id, ctx=AuditContext.system("x")
    )
    body = client.post(
        f"/{case.resource.plural}/import/",
        {"text": exported.decode("utf-8-sig"), "format": "csv", "step": "preview"},
    ).content.decode()
    assert "1 ready" in body and "0 with problems" in body


# ------------------------------------------------------------------ the drifted bugs


def test_conflict_names_nobody_when_the_last_entry_did_not_make_the_current_version(
    role_client, api, case
):
    """Groups named the last history entry's author even when someone outside the dashboard
    had changed the object since (often the very user looking at the screen)."""
    obj = _create(api, case, case.first, who="alice")
    case.resource.api(api).update(obj.id, **case.third)  # outside the dashboard
    response = role_client("analyst").post(
        f"/{case.resource.plural}/{obj.id}/edit/",
        case.form(case.second, fingerprint=obj.fingerprint),
    )
    body = response.content.decode()
    assert "changed after you opened it, outside this dashboard" in body
    assert "last by alice" not in body


def test_conflict_names_who_made_the_current_version(role_client, api, case):
    obj = _create(api, case, case.first, who="alice")
    _update(api, case, obj, case.third, who="bob")
    response = role_client("analyst").post(
        f"/{case.resource.plural}/{obj.id}/edit/",
        case.form(case.second, fingerprint=obj.fingerprint),
    )
    assert "changed after you opened it — last by bob." in response.content.decode()


def test_revert_after_a_conflict_shows_the_difference_from_the_fresh_read(role_client, api, case):
    """Groups kept showing the stale version's difference after a revert hit a conflict."""
    from audit.selectors import object_history

    obj = _create(api, case, case.first)
    seen = _update(api, case, obj, case.second)
    first_entry = object_history(object_type=case.resource.noun, object_id=obj.id)[-1].seq
    case.resource.api(api).update(obj.id, **case.third)  # changed while the lead looks
    response = role_client("lead").post(
        f"/{case.resource.plural}/{obj.id}/revert/{first_entry}/",
        {"fingerprint": seen.fingerprint, "reason": ""},
    )
    body = response.content.decode()
    assert "changed while you were looking" in body
    fresh = case.resource.api(api).get(obj.id)
    assert f'name="fingerprint" value="{fresh.fingerprint}"' in body
    if case.resource is TRACKERS:
        assert "theirs only" in body  # the fresh version's phrase, which reverting removes
    else:
        assert "Theirs" in body and "Only John" not in body


def test_detail_breadcrumb_names_the_section(role_client, api, case):
    obj = _create(api, case, case.first)
    body = role_client("analyst").get(f"/{case.resource.plural}/{obj.id}/").content.decode()
    assert f'<li><a href="/{case.resource.plural}/">{case.resource.words.title}</a></li>' in body


def test_a_plain_search_drops_its_empty_fields_and_keeps_the_rest(role_client, api, case):
    response = role_client("analyst").get(f"/{case.resource.plural}/?q=&per_page=50&sort=-name")
    assert response.status_code == 302
    assert response["Location"] == f"/{case.resource.plural}/?sort=-name&per_page=50"
