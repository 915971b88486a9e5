"""Django's ModelBackend, with the signed-in user read by a query built once: every page
starts by reading its user, and building that query took three times what running it did
(a tenth of a small page). Everything else (sign-in, permissions) is ModelBackend's own."""

from __future__ import annotations

import threading

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections

_SENTINEL = -987654321  # stands for the id while the query is built
_built: dict[str, tuple] = {}
_lock = threading.Lock()


def _query(vendor: str) -> tuple:
    """(compiler, sql, position of the id among the params, params, field names)."""
    with _lock:
        if vendor not in _built:
            model = get_user_model()
            compiler = model._default_manager.filter(pk=_SENTINEL).query.get_compiler(
                DEFAULT_DB_ALIAS
            )
            sql, params = compiler.as_sql()
            names = [f.attname for f in model._meta.concrete_fields]
            _built[vendor] = (compiler, sql, params.index(_SENTINEL), tuple(params), names)
        return _built[vendor]


def user_by_pk(pk):
    """The user with this primary key, or None: what `_default_manager.get(pk=pk)` reads."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:  # a tampered session: no such user
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    compiler, sql, at, params, names = _query(connection.vendor)
    params = (*params[:at], pk, *params[at + 1 :])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = next(iter(compiler.results_iter(results=[[row]])))  # the field converters
    return model.from_db(DEFAULT_DB_ALIAS, names, values)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
