"""A resource descriptor: everything the generic views, services and selectors need to know
about one kind of Management API object (trackers, groups), and nothing they do with it.

NetBox parametrises its generic views by an ORM model; there is no model here, so the
parameter is this plain description. Each app writes one (`trackers/resource.py`) and its
editor; the rest is shared. See the README's "Adding a resource".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from resources.columns import Columns
from symbl_admin.contract import ResourceSpec
from symbl_admin.links import url_for_each, url_of

ACTIONS = ("view", "add", "change", "delete", "import", "revert")


@dataclass(frozen=True)
class Words:
    """What the screens call things, where a noun alone is not enough."""

    title: str  # the list page's heading: "Trackers", "Conversation groups"
    search_label: str
    search_placeholder: str
    search_covers: str  # "names and every phrase", for the no-match empty state
    empty_text: str  # what one is, for the empty account
    import_label: str = "Import"  # "Bulk create" for groups
    delete_effect: str = ""  # what deleting means, beside "a team lead can restore it"
    merge_label: str = "Merge"  # the conflict screen's merge button

    @property
    def title_lower(self) -> str:
        return self.title[:1].lower() + self.title[1:]


@dataclass(frozen=True)
class ListFilter:
    """A list filter kept in the URL (?category=sales): the values an object has for it."""

    label: str  # "Category"
    any_label: str  # "All categories"
    values: Callable[[Any], Iterable[str]]  # object → its values (a tracker's categories)
    display: Callable[[str], str] = str  # a value in plain words (a language's name)

    def choices(self, objects: Iterable[Any]) -> list[tuple[str, str]]:
        """Every value some object has, with its words, in alphabetical order of the words."""
        found = {value for obj in objects for value in self.values(obj)}
        return sorted(((v, self.display(v)) for v in found), key=lambda c: c[1].casefold())


@dataclass(frozen=True)
class Resource:
    """One kind of object, described for the generic layer (see module docstring)."""

    spec: ResourceSpec  # the contract: fields, limits (symbl_admin/contract.py)
    type: type  # the client's frozen dataclass (Tracker, Group)
    words: Words
    columns: Columns  # the list's columns: header, cells, sorts (core/columns.py)
    matches: Callable[[Any, str], bool]  # (object, casefolded needle) → bool
    summary: Callable[[dict], str]  # an API-shaped dict → "9 phrases" / "conversations where …"
    csv_columns: tuple[str, ...]  # the CSV export's header, after "id"
    csv_rows: Callable[[Any], Iterable[tuple]]  # one object → CSV rows (without the id)
    parse_import: Callable[[str, str], list]  # (text, format) → rows; raises ImportFormatError
    validate_import: Callable[[list, list], None]  # (rows, existing objects) → marks rows
    merge: Callable[[dict, dict, dict], dict]  # (base, mine, current) → merged values
    list_row: Callable[[Any, str], dict] = lambda obj, q: {}  # extra per-row context
    detail_extra: Callable[[Any], dict] = lambda obj: {}  # extra detail-page context
    stylesheet: str = ""  # static path of the resource's CSS, if any
    filters: dict[str, ListFilter] = field(default_factory=dict)  # URL key → filter
    # A field kind → one value in plain words ("fr-FR" → "French (France)"), for value tables.
    value_words: dict[str, Callable[[str], str]] = field(default_factory=dict)

    # ---- names

    @property
    def noun(self) -> str:
        """Singular, lower case: "tracker" (also the audit object type)."""
        return self.spec.object_type

    @property
    def plural(self) -> str:
        """Plural, lower case: "trackers" (URL namespace, permission suffix, client attr)."""
        return self.spec.plural

    @property
    def label(self) -> str:
        return self.noun.capitalize()

    # ---- the list

    @property
    def sort_keys(self) -> dict[str, Callable[[Any], Any]]:
        """URL sort key → sort function, from the sortable columns; the first is the default."""
        return self.columns.sort_keys

    @property
    def default_sort(self) -> str:
        return next(iter(self.sort_keys))

    def row_html(self, row: dict, q: str) -> SafeString:
        """One row of the list ({obj, url, review, ...list_row}), a cell per column."""
        return self.columns.row_html(self.noun, row, q)

    # ---- wiring

    def api(self, client):
        """The client's sub-client for this resource (client.trackers)."""
        return getattr(client, self.plural)

    def perm(self, action: str) -> str:
        """The permission codename for an action: perm("add") → "accounts.add_trackers"."""
        return f"accounts.{action}_{self.plural}"

    def url(self, name: str, *args: Any) -> str:
        return url_of(f"{self.plural}:{name}", *args)

    def url_for_each(self, name: str) -> Callable[[str], str]:
        """id → url(name, id), reversed once: a list builds 50 rows' links without 50
        reverse() calls (they were most of a table's render)."""
        return url_for_each(f"{self.plural}:{name}")

    @property
    def has_categories(self) -> bool:
        """Whether its objects carry categories (trackers do, groups do not)."""
        return "categories" in self.spec.names

    def abilities(self, user) -> dict[str, bool]:
        """What `user` may do here, for hiding actions (every view checks again)."""
        return {action: user.has_perm(self.perm(action)) for action in ACTIONS}

    def editable(self, state: Any) -> dict[str, Any] | None:
        """The fields a write sends, from any state (a fetched object's dict, an audit
        entry's state, an import item), or None when it lacks a required field."""
        if isinstance(state, self.type):
            state = state.as_dict()
        return self.spec.editable(state)

    def field_rows(self, values: dict) -> list[dict]:
        """The editable fields of `values` with their labels, for value tables; a list of
        labels or tags also as `items` [(value, words)], never shown as Python's list."""
        rows = []
        for f in self.spec.fields:
            value = values.get(f.name)
            row = {"name": f.name, "label": f.label, "kind": f.kind, "value": value, "items": None}
            if f.is_list and f.kind != "phrases":
                words = self.value_words.get(f.kind, str)
                row["items"] = [(v, words(v)) for v in value or ()]
            rows.append(row)
        return rows
