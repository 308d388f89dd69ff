"""Home page, languages, error pages and security headers."""

import re

from tests.conftest import make_test_config


def test_home_page_explains_the_marketplace(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert b"registered poor households" in page.data
    assert b'name="viewport"' in page.data


def test_language_is_negotiated_from_the_browser(client):
    assert "临夏" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True
    )
    assert b"Linxia Marketplace" in client.get("/", headers={"Accept-Language": "en-US"}).data


def test_language_switch_is_remembered_in_a_cookie(client):
    response = client.get("/language/en?next=/regions/")
    assert response.status_code == 302 and response.headers["Location"] == "/regions/"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/", headers={"Accept-Language": "zh-CN"})
    assert b"Browse" in page.data or b"Straight from the villages" in page.data


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/language/zh?next=//evil.example.com/")
    assert response.headers["Location"] == "/"


def test_chinese_navigation_has_no_untranslated_english(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    client.set_cookie("lang", "zh")
    html = client.get("/").get_data(as_text=True)
    nav = html[html.index("<nav") : html.index("</nav>")]
    text = re.sub(r"<[^>]+>", " ", nav)
    words = set(re.findall(r"[A-Za-z]{3,}", text)) - {"English"}
    # The only Latin letters allowed are the user's own name and the English switch.
    assert words <= {"Test", "User"}, words


def test_404_page_in_both_languages(client):
    en = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert en.status_code == 404 and b"Page not found" in en.data
    zh = client.get("/no-such-page", headers={"Accept-Language": "zh"})
    assert zh.status_code == 404 and "找不到" in zh.get_data(as_text=True)


def test_500_page_rolls_back_and_shows_a_friendly_message(database_url, upload_dir, _migrated):
    from marketplace import create_app

    app = create_app(make_test_config(database_url, upload_dir, PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "zh"})
    assert response.status_code == 500
    assert "出错" in response.get_data(as_text=True)


def test_security_headers_forbid_inline_scripts(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client, auth, create_user):
    create_user(email="m@example.com")
    response = auth.login("m@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_css_framework_is_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower()
    # Bootstrap purged to the classes used (scripts/purge_bootstrap.py), from static/.
    css = re.search(r'href="(/static/css/bootstrap\.purged\.css\?v=\w+)"', html).group(1)
    assert client.get(css).status_code == 200
