"""Timeouts: gunicorn's worker timeout, wherever it is set, stays above the client's whole
budget for one call (SYMBL_API_DEADLINE, which covers the token, every try and every backoff;
tests/management_api/test_retries.py proves the Transport keeps to it in real time).

The values are read from the files that set them, not from this process's environment.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from symbl_admin.management_api import client as client_module
from symbl_admin.management_api import resources
from symbl_admin.management_api.transport import Transport

ROOT = Path(__file__).resolve().parents[2]


def _env_default(path: Path, name: str) -> float:
    """The default of `env.get(name, "…")` / `env_float(name, …)` / `os.environ.get(name, …)`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == name
            and isinstance(node.args[1], ast.Constant)
        ):
            return float(node.args[1].value)
    raise AssertionError(f"{name} has no default in {path}")


def gunicorn_timeouts() -> dict[str, float]:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text(encoding="utf-8")
    assert '--timeout "${GUNICORN_TIMEOUT}"' in entrypoint
    run_py = ROOT / "scripts" / "run.py"
    assert '"--timeout",' in run_py.read_text(encoding="utf-8")
    return {
        "Dockerfile": float(re.search(r"\bGUNICORN_TIMEOUT=(\d+)", dockerfile).group(1)),
        "scripts/run.py": _env_default(run_py, "GUNICORN_TIMEOUT"),
    }


def client_budgets() -> dict[str, float]:
    settings_py = ROOT / "symbl_admin" / "settings.py"
    transport_default = inspect.signature(Transport).parameters["deadline"].default
    client_default = inspect.signature(client_module.ManagementAPIClient).parameters["deadline"]
    return {
        "SYMBL_API_DEADLINE": _env_default(settings_py, "SYMBL_API_DEADLINE"),
        "Transport(deadline=)": transport_default,
        "ManagementAPIClient(deadline=)": client_default.default,
        "PING_BUDGET": client_module.PING_BUDGET,
        "LOOKUP_BUDGET": resources.LOOKUP_BUDGET,
    }


def test_gunicorn_worker_timeout_is_set_alike_everywhere():
    assert len(set(gunicorn_timeouts().values())) == 1


def test_gunicorn_worker_timeout_stays_above_the_clients_whole_budget(figure):
    worker = min(gunicorn_timeouts().values())
    budgets = client_budgets()
    largest = max(budgets, key=budgets.get)
    figure(
        "timeouts",
        f"gunicorn worker timeout {worker:g} s > the client's whole retry budget "
        f"{budgets[largest]:g} s ({largest}; {len(budgets)} budgets read)",
    )
    assert all(worker > budget for budget in budgets.values()), (worker, budgets)


def test_one_try_fits_in_the_budget():
    settings_py = ROOT / "symbl_admin" / "settings.py"
    connect = _env_default(settings_py, "SYMBL_API_CONNECT_TIMEOUT")
    read = _env_default(settings_py, "SYMBL_API_READ_TIMEOUT")
    assert connect + read <= _env_default(settings_py, "SYMBL_API_DEADLINE")
