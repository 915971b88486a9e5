"""Which layer may import which: read from the source with `ast`, so no import runs.

The dashboard (trackers/, groups/) and the Management API client reach our own server only
through the contract module and the configured WSGI app, never by importing it; only the
settings and the URLconf name the middleware; the product never imports the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.layout import APPS, PRODUCT

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(path: Path, root: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names, `.foo` and `..foo` included."""
    if not node.level:
        return node.module or ""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, anywhere in it (function-level imports too), and for
    `from x import y` also `x.y` (y may be a submodule)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(path, root, node)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _imports_of(module: str, imported: set[str]) -> set[str]:
    return {name for name in imported if name == module or name.startswith(module + ".")}


def offenders(files: list[Path], forbidden: str, root: Path = ROOT) -> dict[str, set[str]]:
    """{file: the forbidden modules it imports} for the files that import any."""
    result: dict[str, set[str]] = {}
    for path in files:
        hits = _imports_of(forbidden, imported_modules(path, root))
        if hits:
            result[str(path.relative_to(root))] = hits
    return result


def python_files(*folders: str) -> list[Path]:
    files = [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]
    assert files, f"no Python files under {folders}"
    return files


@pytest.mark.parametrize(
    "folder",
    [app for app in APPS if app not in ("local_api", "backup")] + ["symbl_admin/management_api"],
)
def test_dashboard_and_client_do_not_import_the_local_server(folder):
    assert offenders(python_files(folder), "local_api") == {}


def test_only_settings_and_urls_import_the_middleware():
    allowed = {ROOT / "symbl_admin" / name for name in ("middleware.py", "settings.py", "urls.py")}
    product = python_files(*PRODUCT, "benchmarks")
    files = [path for path in product if path not in allowed]
    assert offenders(files, "symbl_admin.middleware") == {}


def test_the_product_does_not_import_the_tests():
    product = python_files(*PRODUCT, "benchmarks")
    assert offenders(product, "tests") == {}


@pytest.mark.parametrize(
    ("folder", "above"),
    [
        ("audit", "review"),  # the log knows nothing of reviews: review follows it (a hook)
        ("audit", "resources"),
        ("review", "resources"),
        ("resources", "dashboard"),  # the shell sits on the resource layer, not under it
        ("symbl_admin/management_api", "resources"),
        ("symbl_admin/caching", "resources"),
    ],
)
def test_imports_run_one_way(folder, above):
    assert offenders(python_files(folder), above) == {}


@pytest.mark.parametrize("app", [app for app in APPS if app != "local_api"])
def test_the_local_server_imports_no_dashboard_app(app):
    # The server runs standalone beside any dashboard: shared code (the sentence splitter,
    # RSQL) lives in symbl_admin's domain modules, which both sides import. (Its management
    # commands are the dashboard's tools, e.g. seed_demo, and are not the server.)
    server = sorted((ROOT / "local_api").glob("*.py"))
    assert offenders(server, app) == {}


# -- the checker itself --------------------------------------------------------------------


def test_checker_sees_function_level_and_relative_imports(tmp_path):
    package = tmp_path / "symbl_admin" / "management_api"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "client.py").write_text(
        "def build():\n    from ..caching import keys\n    return keys\n"
    )
    assert offenders([package / "client.py"], "symbl_admin.caching", tmp_path) == {
        "symbl_admin/management_api/client.py": {
            "symbl_admin.caching",
            "symbl_admin.caching.keys",
        }
    }


def test_checker_does_not_confuse_a_prefix_with_the_module(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import symbl_admin.local_api_docs\nimport testsuite\n")
    assert offenders([source], "local_api", tmp_path) == {}
    assert offenders([source], "tests", tmp_path) == {}
