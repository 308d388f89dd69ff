"""Static files: fingerprinted URLs kept a year, compressed, and a purged Bootstrap that is
up to date with the templates (issue 19, item 13)."""

import os
import re

from scripts import purge_bootstrap


def _assets(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js|svg)\?v=[0-9a-f]{10})"', html)


def test_pages_link_fingerprinted_assets_kept_for_a_year_and_compressed(client):
    assets = _assets(client)
    assert any("bootstrap.purged.css" in a for a in assets)
    assert not any("bootstrap.min.css" in a for a in assets)
    for url in assets:
        for encoding in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, url
            assert response.headers["Content-Encoding"] == encoding
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Accept-Encoding" in response.headers["Vary"]
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
    css = client.get(assets[0], headers={"Accept-Encoding": "gzip"})
    assert len(css.data) < 20 * 1024  # Bootstrap was 227 KiB uncompressed


def test_a_changed_file_gets_a_new_url(client, app):
    before = _assets(client)
    css = next(a for a in before if "app.css" in a)
    path = f"{app.static_folder}/css/app.css"
    with open(path, encoding="utf-8") as handle:
        original = handle.read()
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n/* changed */\n")
        os.utime(path, (1, 1))
        assert css not in _assets(client)
    finally:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(original)


def test_the_purged_bootstrap_is_up_to_date_with_the_templates(tmp_path, monkeypatch):
    committed = purge_bootstrap.OUT.read_text(encoding="utf-8")
    monkeypatch.setattr(purge_bootstrap, "OUT", tmp_path / "purged.css")
    purge_bootstrap.main()
    assert (tmp_path / "purged.css").read_text(encoding="utf-8") == committed, (
        "A template uses a Bootstrap class the purged CSS lacks: run `make css`."
    )
