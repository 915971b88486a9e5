"""The layout a newcomer reads: every Django app of ours at the top level, beside the project
package, and each named in the settings."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tests.support.layout import APPS, PRODUCT, PROJECT

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_of_ours_is_a_top_level_package():
    ours = [app for app in settings.INSTALLED_APPS if not app.startswith(("django", "whitenoise"))]
    ours = [app for app in ours if (ROOT / app.split(".")[0]).is_dir()]
    assert sorted(ours) == sorted(APPS)  # no app under symbl_admin/, none missing


def test_the_project_package_holds_no_app():
    nested = [p.parent.name for p in (ROOT / PROJECT).glob("*/apps.py")]
    assert nested == []


def test_the_image_takes_every_package_of_the_product():
    allowed = (ROOT / ".dockerignore").read_text().splitlines()
    assert [p for p in PRODUCT if f"!{p}/" not in allowed] == []
