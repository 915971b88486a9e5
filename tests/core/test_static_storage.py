"""symbl_admin.static_storage: each static URL looked up once per process."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage

from symbl_admin.static_storage import ManifestStorage


def test_each_url_is_looked_up_once(monkeypatch, tmp_path):
    asked = []

    def url(self, name, force=False):
        asked.append((name, force))
        return f"/static/{name}.abc123"

    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", url)
    storage = ManifestStorage(location=tmp_path)
    assert storage.url("css/app.css") == "/static/css/app.css.abc123"
    assert storage.url("css/app.css") == "/static/css/app.css.abc123"
    assert storage.url("js/app.js", force=True) == "/static/js/app.js.abc123"
    assert storage.url("js/app.js", force=True) == "/static/js/app.js.abc123"
    assert asked == [("css/app.css", False), ("js/app.js", True), ("js/app.js", True)]
