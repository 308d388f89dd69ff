"""Fuzz pass over the web pages: hostile values in every parameter a page reads never give a 5xx.

An audit found pages answering 500 to a NUL byte, a huge number, a far date or an amount
like 1e30. This crawls the site as each role from every argument-free GET route, takes one
URL per endpoint, then sends a fixed list of bad values into every URL converter, every
query parameter the page actually reads (recorded while it renders) and every field of
every POST form found on the pages. Deterministic and bounded: no random generation.
"""

import time
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from flask import request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from marketplace.extensions import db
from marketplace.logistics.models import Manifest
from marketplace.regions.services import get_by_code
from tests.orders.shop import build_shop

BAD = {
    "nul": "a\x00b",
    "long": "x" * 10_000,
    "huge": "99999999999999999999",
    "int32": "2147483648",
    "negative": "-1",
    "far_date": "9999-12-31",
    "early_date": "0001-01-01",
    "money_exp": "1e30",
    "money_29": "9" * 29,
    "digit": "²",
}
# A select or check box only compares the value with its choices (or coerces it to int).
BAD_CHOICES = tuple(BAD[k] for k in ("nul", "long", "huge", "int32", "digit"))
# What can follow an <int:...> converter's slash at all (the rest simply does not route).
BAD_IDS = ("0", "2147483648", "99999999999999999999", "²")
SKIP_ENDPOINTS = {
    "static",
    "bootstrap.static",
    "accounts.logout",  # the crawl must stay logged in
    "payments.stripe_webhook",  # signed JSON, fuzzed by the payments tests
    "core.set_language",  # sets a cookie and redirects; no parameter is stored
}
# POST endpoints whose form this world never shows (their bounds are the shared ones).
NO_FORM_IN_WORLD = {
    "catalog.photo_delete",  # no product has a photo
    "orders.cancel",  # the crawl opens the buyer's delivered order first
    "orders.mark_packed",  # the cooperative's waiting order is already packed by create_sale
    "payments.start_checkout",  # Stripe is not configured
    "orders.confirm_receipt",  # no express parcel with a carrier here (tests/carriers posts it)
    # The world's claim waits for the cooperative (so the decision form is fuzzed); these
    # two buttons show only once it has offered less or refused.
    "claims.accept_offer",
    "claims.dispute",
}
ROLES = ("anonymous", "buyer", "station_operator", "cooperative_manager", "admin")


class PageParser(HTMLParser):
    """Links, GET-form actions and POST forms (action, fields with their default values,
    which fields are choices)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = None
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.links.append(a["src"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or ""
            if method == "post":
                self._form = {"action": action, "fields": {}, "choices": set()}
                self.forms.append(self._form)
            else:
                self.links.append(action)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                return  # upload limits are tested with the uploads
            if kind in ("checkbox", "radio"):
                self._form["choices"].add(a["name"])
                if "checked" in a:
                    self._form["fields"][a["name"]] = a.get("value", "y")
                else:
                    self._form["fields"].setdefault(a["name"], None)
            elif kind != "submit":
                self._form["fields"][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["choices"].add(self._select)
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select:
            fields = self._form["fields"]
            if fields[self._select] is None or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class RecordingArgs(ImmutableMultiDict):
    """request.args that notes which names the view and its template ask for."""

    seen: set

    def _note(self, key):
        if isinstance(key, str):
            self.seen.add(key)

    def get(self, key, *args, **kwargs):
        self._note(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        self._note(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


def _claim_with_photo(fulfilment, buyer):
    """The buyer's claim about the delivered parcel, with one photo, and their review."""
    import io

    from PIL import Image

    from marketplace.claims import photos, reviews, services

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    line = fulfilment.lines[0]
    claim = services.open_claim(fulfilment, buyer, [(line.id, 1)], "damaged", "压坏", "refund")
    photos.add_photos(claim, buyer, [("box.png", picture.getvalue())])
    reviews.review_line(line, buyer, 4, "好")
    db.session.commit()
    return claim


@pytest.fixture
def world(request, create_sale, create_user, create_household, create_station, create_link):
    """The orders tests' small shop, an order in each state, an operator, an admin."""
    shop = build_shop(request.getfixturevalue)
    operator = create_user(email="op@example.com", roles=["station_operator"])
    admin = create_user(email="admin@example.com", roles=["admin"])
    shop.lily_point.operators.append(operator)
    shop.apple_point.operators.append(operator)
    # A county centre: its carrier hand-over pages (the dashboard links them).
    centre = create_station("county_center", get_by_code("622923"), operators=[operator])
    create_link(centre, None, carrier="express")
    create_household(village=shop.lily_village)
    # An address and a freight template, so their edit pages are reached from their lists.
    from marketplace.accounts.addresses import add_address
    from marketplace.catalog.freight import save_template

    for street in ("望京街1号", "望京街2号"):  # the second one can be made the default
        add_address(shop.buyer, {"recipient": "马小花", "phone": "13912345678", "street": street,
                                 "province_code": "110000", "city_code": "110100",
                                 "district_code": "110105"})  # fmt: skip
    save_template(shop.lily_coop, {"name": "常温", "cold_chain": False, "first_weight_g": 1000,
                                   "first_fen": 800, "step_weight_g": 1000, "step_fen": 400,
                                   "regions": []})  # fmt: skip
    db.session.commit()
    create_sale((shop.lily, 1), buyer=shop.buyer, pickup=shop.apple_point, until="placed")
    create_sale((shop.apple, 2), buyer=shop.buyer, pickup=shop.apple_point, until="ready")
    done = create_sale((shop.lily, 2), buyer=shop.buyer, pickup=shop.apple_point)
    manifest = db.session.scalar(db.select(Manifest.id).order_by(Manifest.id))
    claim = _claim_with_photo(done, shop.buyer)
    # A delivered parcel with no claim yet: the claim form is shown (and fuzzed).
    unclaimed = create_sale((shop.apple, 1), buyer=shop.buyer, pickup=shop.apple_point)
    order, point, coop = done.order_id, shop.apple_point.id, shop.apple_coop.id
    # Pages no other page links to in this world (or only by script): where the crawl starts.
    seeds = [
        "/products",
        "/media/products/missing.jpg",
        "/manage/pending-photos/" + "0" * 32 + ".jpg",  # a photo kept from a refused form
        f"/trace/{shop.apple_lot.code}/qr.svg",
        f"/track/{done.parcel.code}",
        f"/manifests/{manifest}",
        f"/stations/{point}/assisted-order/{order}",
        f"/packing/{done.id}/slip",
        f"/payments/orders/{order}/return",
        f"/payments/orders/{order}/checkout",
        f"/payments/fulfilments/{done.id}/refund",
        f"/reports/statement/{coop}",
        f"/reports/statement/{coop}/export.csv",
        f"/claims/{claim.id}",
        f"/claims/fulfilments/{unclaimed.id}/new",
        f"/claims/{claim.id}/photos/{claim.photos[0].thumb_filename}",
    ]
    # A queued job run and a file a job wrote (their pages are reached from a redirect).
    from marketplace.jobs import runner
    from marketplace.jobs.models import JobFile

    run = runner.run_now("reconcile", by=admin)
    kept = JobFile(name="export.csv", mimetype="text/csv", content=b"a,b\n", owner_id=admin.id)
    db.session.add(kept)
    db.session.commit()
    seeds += [f"/jobs/runs/{run.id}", f"/jobs/runs/{run.id}.json", f"/jobs/files/{kept.id}"]
    seeds.append("/reports/households")  # the report whose page has the background export
    return {
        "seeds": seeds,
        "anonymous": None,
        "buyer": "buyer@example.com",
        "station_operator": operator.email,
        "cooperative_manager": "lily@example.com",
        "admin": admin.email,
    }


class Fuzzer:
    def __init__(self, app, client):
        self.app, self.client = app, client
        self.adapter = app.url_map.bind("localhost")
        self.cases = 0
        self.failures = []
        self.seen_args = set()
        RecordingArgs.seen = self.seen_args

        def record_args():
            request.__dict__["args"] = RecordingArgs(request.args)

        app.before_request_funcs.setdefault(None, []).insert(0, record_args)

    def endpoint(self, url, method="GET"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            return None, None
        try:
            rule, args = self.adapter.match(parts.path, method=method, return_rule=True)
        except HTTPException:
            return None, None
        return rule, args

    def send(self, label, method, url, **kwargs):
        self.cases += 1
        try:
            response = getattr(self.client, method)(url, **kwargs)
        except Exception as exc:  # TESTING propagates what would be a 500
            self.failures.append(f"{label}: {method.upper()} {url[:120]!r} raised {exc!r:.200}")
            return None
        if response.status_code >= 500:
            self.failures.append(
                f"{label}: {method.upper()} {url[:120]!r} -> {response.status_code}"
            )
        return response

    def crawl(self, role, seeds):
        """One URL per GET endpoint reachable by `role`, and the POST forms on those pages.

        A seed counts as reached with any answer below 500 (a 404 still has converters)."""
        queue = list(seeds) + [
            rule.rule
            for rule in self.app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIP_ENDPOINTS
        ]
        pages, forms, visited = {}, {}, set()
        while queue:
            url = queue.pop(0)
            rule, _ = self.endpoint(url)
            if rule is None or rule.endpoint in SKIP_ENDPOINTS or rule.endpoint in pages:
                continue
            if rule.endpoint.startswith("api.") or url in visited:
                continue
            visited.add(url)
            response = self.send(f"{role} crawl", "get", url)
            if response is None or response.status_code >= (500 if url in seeds else 400):
                continue
            pages[rule.endpoint] = url
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = PageParser()
            parser.feed(response.get_data(as_text=True))
            queue.extend(link.split("#")[0] for link in parser.links)
            for form in parser.forms:
                post_rule, _ = self.endpoint(form["action"] or url, "POST")
                if post_rule is None or post_rule.endpoint in SKIP_ENDPOINTS:
                    continue
                key = (post_rule.endpoint, tuple(sorted(form["fields"])))
                forms.setdefault(key, (form["action"] or url, form))
        return pages, forms

    def fuzz_page(self, role, endpoint, url):
        parts = urlsplit(url)
        rule, args = self.endpoint(url)
        for name, converter in rule._converters.items():
            values = BAD_IDS if isinstance(converter, IntegerConverter) else BAD.values()
            for value in values:
                path = self._build_raw(rule, args, name, value)
                self.send(f"{role} {endpoint} <{name}>", "get", path)
        self.seen_args.clear()
        self.send(f"{role} {endpoint} args", "get", url)
        names = sorted(self.seen_args)
        for name in names:
            for value in BAD.values():
                query = urlencode({name: value})
                self.send(f"{role} {endpoint} ?{name}", "get", f"{parts.path}?{query}")
        return len(names)

    def _build_raw(self, rule, args, name, value):
        """The rule's path with `name` replaced by a raw (percent-encoded) value."""
        sentinel = 987654321 if isinstance(rule._converters[name], IntegerConverter) else "ZQZ"
        path = self.adapter.build(rule.endpoint, dict(args, **{name: sentinel}))
        return path.replace(str(sentinel), quote(value, safe=""), 1)

    def fuzz_form(self, role, endpoint, action, form):
        fields = {k: v for k, v in form["fields"].items() if v is not None}
        for name in sorted(form["fields"]):
            if name == "csrf_token":
                continue
            values = BAD_CHOICES if name in form["choices"] else BAD.values()
            for value in values:
                data = dict(fields, **{name: value})
                self.send(f"{role} POST {endpoint} [{name}]", "post", action, data=data)


def _login(client, login):
    client.post("/logout")
    if login:
        response = client.post("/login", data={"login": login, "password": "linxia-demo"})
        assert response.status_code == 302, f"could not log in as {login}"


def test_no_page_or_form_answers_5xx_to_hostile_input(app, client, world):
    started = time.monotonic()
    fuzzer = Fuzzer(app, client)
    reached_get, reached_post, params = set(), set(), 0
    public_pages, fuzzed_forms = set(), set()
    for role in ROLES:
        _login(client, world[role])
        pages, forms = fuzzer.crawl(role, world["seeds"])
        # What a visitor reaches is the same code for everyone: fuzzed once, as the visitor.
        for endpoint, url in sorted(pages.items()):
            if endpoint not in public_pages:
                params += fuzzer.fuzz_page(role, endpoint, url)
        for (endpoint, fields), (action, form) in sorted(forms.items()):
            # The same form for two roles, or on a create and an edit page, is the same code.
            same = (endpoint.replace("_edit", "_create"), fields)
            if same not in fuzzed_forms:
                fuzzer.fuzz_form(role, endpoint, action, form)
                fuzzed_forms.add(same)
        if role == "anonymous":
            public_pages = set(pages)
        reached_get |= set(pages)
        reached_post |= {endpoint for endpoint, _ in forms}
    elapsed = time.monotonic() - started
    print(f"fuzz: {fuzzer.cases} requests, {params} query parameters, {elapsed:.1f} s")
    assert not fuzzer.failures, "\n".join(fuzzer.failures[:60])

    # Every page and form of the app was reached by some role (else the crawl needs a seed).
    web_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.startswith("api.") and rule.endpoint not in SKIP_ENDPOINTS
    ]
    unreached_get = {r.endpoint for r in web_rules if "GET" in r.methods} - reached_get
    unreached_post = {r.endpoint for r in web_rules if "POST" in r.methods} - reached_post
    unreached_post -= NO_FORM_IN_WORLD
    assert not unreached_get, " ".join(sorted(unreached_get))
    assert not unreached_post, " ".join(sorted(unreached_post))
