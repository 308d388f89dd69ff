"""`make bench` (`python -m bench.run`): the marketplace under load at prefecture scale, each
figure beside a baseline measured in the same run; prints one table and writes
bench/results.md. Environment: BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONNECTIONS,
BENCH_WORKERS, BENCH_ORDERS (seed a smaller prefecture)."""

import os
import random
import re
import subprocess
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from . import data
from .harness import Client, Server, memory_kb, require_wrk, wrk
from .planning import route_planning

# Every URL the bench requests, in one place (the pages come from other branches: fix here).
URLS = {
    "hello": "/",
    "home": "/",
    "login": "/login",
    "shop": "/shop",
    "cart_add": "/cart/add",
    "catalogue": "/shop?{query}",  # query: q (search) and county (county code)
    "station": "/stations/{id}",  # a station's dashboard
    "order": "/orders/{reference}",  # a buyer's order page
    "product": "/products/{id}",
    "checkout": "/api/v1/orders",
    "income_county": "/reports/households?county={county}&start={year}-01-01&end={year}-12-31",
    "income_prefecture": "/reports/households?start={year}-01-01&end={year}-12-31",
    "export": "/reports/households/export.csv?start={first}&end={last}",  # the whole history
    "planner": "marketplace.logistics.planner",  # called in-process, not over HTTP
    "network": "marketplace.logistics.network",  # where the planner's load_network() lives
}
ADMIN = ("admin@example.com", "linxia-demo")
BUYER = ("buyer@example.com", "linxia-demo")
PAGE_TARGET = ">= 30% of hello, p95 < 50 ms"
NA = "not available"
RESULTS = Path(__file__).resolve().parent / "results.md"


class Bench:
    def __init__(self):
        self.url = os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/linxia_bench"
        )
        self.seconds = int(os.environ.get("BENCH_SECONDS", "10"))
        self.connections = int(os.environ.get("BENCH_CONNECTIONS", "20"))
        self.workers = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
        self.rows, self.notes = [], []
        self.tmp = Path(tempfile.mkdtemp(prefix="linxia-bench-"))
        self.env = {
            "DATABASE_URL": data.sqlalchemy_url(self.url),
            "SECRET_KEY": "bench-only-secret",
            "RATELIMIT_ENABLED": "0",  # one client address sends every request
            "SESSION_COOKIE_SECURE": "0",  # plain http on 127.0.0.1
            "PUBLIC_BASE_URL": "http://127.0.0.1",  # its Host is 127.0.0.1 (any port)
            "FLASK_DEBUG": "0",
            # Production's page cache: Redis shared by the workers, keys of this run only.
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "PAGE_CACHE_PREFIX": f"linxia-bench-{os.getpid()}:",
        }

    def row(self, measure, result, baseline="", ratio="", target="", met=""):
        self.rows.append((measure, result, baseline, ratio, target, met))
        print(f"  {measure}: {result} | {baseline} | {ratio} | {met}", flush=True)

    def lines_file(self, name: str, values) -> str:
        path = self.tmp / name
        path.write_text("".join(f"{v}\n" for v in values))
        return str(path)

    # -- rows ------------------------------------------------------------------------------

    def throughput_row(self, measure, client, path, hello, paths=None, target=None):
        status, body, _ = client.request(paths[0] if paths else path)
        if status != 200:
            return self.row(measure, NA if status == 404 else f"HTTP {status} on probe")
        for warm in paths or []:
            client.request(warm)  # steady state: each page once before measuring (page cache)
        env = {"BENCH_PATHS": self.lines_file(f"{measure[:8]}.txt", paths)} if paths else {}
        env["BENCH_COOKIE"] = "; ".join(f"{c.name}={c.value}" for c in client.jar)
        r = wrk(client.base + path, "paths.lua", self.seconds, self.connections, env)
        ratio = r["rps"] / hello["rps"]
        met = ""
        if target:
            limit = 50 if "50 ms" in target else 100
            met = "met" if ratio >= 0.3 and r["p95_ms"] < limit else "not met"
        self.row(
            measure,
            f"{r['rps']:.0f} req/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms",
            f"hello {hello['rps']:.0f} req/s, p95 {hello['p95_ms']:.0f} ms",
            f"{ratio:.0%}",
            target or "",
            met,
        )
        if r["non_2xx"] or r["socket_errors"]:
            self.notes.append(f"{measure}: {r['non_2xx']} non-2xx, {r['socket_errors']} errors")

    def checkout_row(self, client, s, hello):
        tokens = data.make_tokens(self.url, 200 * self.seconds + 1)
        probe = {
            "lines": [{"product_id": s["products"][0], "quantity": 1}],
            "pickup_station_id": s["pickup_points"][0],
            "payment_method": "cash_at_pickup",
        }
        since = datetime.now(UTC).replace(tzinfo=None)
        headers = {"Authorization": f"Bearer {tokens[0]}"}
        status, body, _ = client.request(URLS["checkout"], json_body=probe, headers=headers)
        if status != 201:
            return self.row("checkout (API)", NA if status == 404 else f"HTTP {status} on probe")
        env = {
            "BENCH_TOKENS": self.lines_file("tokens.txt", tokens[1:]),
            "BENCH_PRODUCTS": self.lines_file("products.txt", s["products"]),
            "BENCH_POINTS": self.lines_file("points.txt", s["pickup_points"]),
        }
        r = wrk(client.base + URLS["checkout"], "checkout.lua", self.seconds, self.connections, env)
        counted = data.checkout_statements(
            self.env, tokens[0], s["products"][1], s["pickup_points"][0]
        )
        created = r["statuses"].get("201", 0)
        check = data.stock_is_consistent(self.url, since)
        sound = (
            check["negative_lots"] == 0
            and check["lots_not_matching_allocations"] == 0
            and check["units_sold"] == check["units_allocated"]
        )
        rate = created / r["seconds"]
        self.row(
            "checkout (API, unique buyers)",
            f"{rate:.0f} orders/s, p95 {r['p95_ms']:.0f} ms; "
            f"oversell: {'none' if sound else 'YES'}",
            f"hello {hello['rps']:.0f} req/s",
            f"{rate / hello['rps']:.0%}",
            ">= 150 orders/s, no oversell, <= 12 SQL statements",
            "met"
            if rate >= 150 and sound and 0 < counted.get("statements", 99) <= 12
            else "not met",
        )
        self.notes.append(f"checkout statuses {r['statuses']}; stock check {check}")
        self.notes.append(
            f"SQL statements per checkout (API, one product, in process): "
            f"{counted.get('statements')} plus {counted.get('transaction_control')} "
            f"transaction control (SAVEPOINT/RELEASE); probe status {counted.get('status')}"
        )
        if r["requests"] > len(tokens) - 1:
            self.notes.append("checkout: more requests than tokens, some buyers ordered twice")

    def income_row(self, measure, client, path, county, year, limit_s=None):
        status, _, _ = client.request(path)
        if status != 200:
            self.row(measure, NA if status == 404 else f"HTTP {status} on probe")
            return
        times = sorted(client.request(path)[2] for _ in range(3))
        sql_s, households, total = data.income_baseline(self.url, county, year)
        page_s = times[1]
        ratio = page_s / sql_s
        target = f"< {limit_s:.0f} s" if limit_s else "<= 2x SQL"
        met = page_s < limit_s if limit_s else ratio <= 2
        self.row(
            measure,
            f"{page_s * 1000:.0f} ms",
            f"SQL GROUP BY {sql_s * 1000:.0f} ms ({households:,} households)",
            f"{ratio:.1f}x",
            target,
            "met" if met else "not met",
        )
        self.notes.append(f"{measure}: SQL total {total} fen over {households} households")

    def export_row(self, client, s):
        single = Server("wsgi:app", 1, self.env, "export")
        try:
            export = Client(single.base)
            export.jar = client.jar  # the same admin session (cookies ignore the port)
            export.opener = client.opener
            export.request(URLS["login"])  # warm the worker before measuring
            pid = single.worker_pids()[0]
            before = memory_kb(pid)["VmRSS"]
            path = URLS["export"].format(first=s["first_day"], last=s["last_day"])
            status, body, seconds = export.request(path)
            peak = memory_kb(pid)["VmHWM"]
        finally:
            single.stop()
        if status != 200:
            return self.row("CSV export, all households", NA if status == 404 else f"HTTP {status}")
        sql_s, rows = data.timed_sql(self.url, data.EXPORT_SQL, repeat=1)
        growth, lines = (peak - before) / 1024, body.count(b"\n")
        self.row(
            "CSV export, all households",
            f"{seconds:.2f} s, {lines:,} lines, worker peak {peak / 1024:.0f} MB "
            f"(+{growth:.0f} MB)",
            f"SQL select {sql_s:.2f} s ({len(rows):,} rows)",
            f"{seconds / sql_s:.1f}x",
            "memory growth < 50 MB",
            "met" if growth < 50 else "not met",
        )

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> None:
        require_wrk()
        created = data.ensure_database(self.url)
        seeded = data.prepare(self.url, int(os.environ.get("BENCH_ORDERS", "0")) or None)
        if created or seeded:
            self.notes.append(f"database created and seeded in {seeded or 0:.0f} s this run")
        s = data.samples(self.url)
        print(f"Serving with gunicorn, {self.workers} workers; wrk {self.connections} connections")
        hello_server = Server("bench.hello_app:app", self.workers, {}, "hello")
        try:
            hello = wrk(hello_server.base + "/", "paths.lua", self.seconds, self.connections)
        finally:
            hello_server.stop()
        self.row(
            "hello baseline",
            f"{hello['rps']:.0f} req/s, p50 {hello['p50_ms']:.0f} ms, p95 {hello['p95_ms']:.0f} ms",
        )
        app = Server("wsgi:app", self.workers, self.env, "app")
        try:
            self.measure_app(app, s, hello)
        finally:
            app.stop()
        self.measure_planner(s)
        self.write()

    def page_rows(self, client, s, hello, who: str) -> None:
        query = urllib.parse.urlencode({"q": s["q"], "county": s["county"]})
        picks = random.Random(1).sample(s["products"], min(200, len(s["products"])))
        paths = [URLS["product"].format(id=p) for p in picks]
        rows = [
            ("home page", URLS["home"], None),
            ("shop, no filter", URLS["shop"], None),
            ("catalogue (search + county filter)", URLS["catalogue"].format(query=query), None),
            ("product page", paths[0], paths),
        ]
        for measure, path, many in rows:
            self.throughput_row(
                f"{measure}{who}", client, path, hello, paths=many, target=PAGE_TARGET
            )

    def buyer_rows(self, app, s, hello) -> None:
        """The same pages for a logged-in buyer with something in the cart."""
        buyer = Client(app.base)
        if not buyer.login(*BUYER):
            return self.notes.append("buyer login failed: logged-in rows not measured")
        page = buyer.request(URLS["shop"])[1]
        match = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        form = {"product_id": s["products"][0], "quantity": 1, "next": URLS["shop"]}
        form["csrf_token"] = match.group(1).decode() if match else ""
        buyer.request(URLS["cart_add"], data=form)
        self.page_rows(buyer, s, hello, ", logged-in buyer with a cart")
        reference = data.buyer_order(self.url, BUYER[0])
        if reference:
            path = URLS["order"].format(reference=reference)
            self.throughput_row("buyer's order page", buyer, path, hello)

    def station_row(self, app, hello) -> None:
        station_id, email = data.busiest_county_centre(self.url)
        operator = Client(app.base)
        if not station_id or not operator.login(email, "linxia-demo"):
            return self.notes.append("county centre operator login failed: row not measured")
        path = URLS["station"].format(id=station_id)
        self.throughput_row("station dashboard, busiest county centre", operator, path, hello)
        self.notes.append(f"station dashboard: station {station_id}, operator {email}")

    def measure_app(self, app, s, hello) -> None:
        client = Client(app.base)
        self.page_rows(client, s, hello, "")
        self.buyer_rows(app, s, hello)
        self.station_row(app, hello)
        self.checkout_row(client, s, hello)
        if not client.login(*ADMIN):
            self.notes.append("admin login failed: report rows could not be measured")
        county, year = s["county"], s["year"]
        self.income_row(
            f"household income report, county {county}, {year}",
            client,
            URLS["income_county"].format(county=county, year=year),
            county,
            year,
        )
        self.income_row(
            f"household income report, prefecture, {year}",
            client,
            URLS["income_prefecture"].format(year=year),
            None,
            year,
            limit_s=1,
        )
        self.export_row(client, s)

    def measure_planner(self, s) -> None:
        result = route_planning(
            self.url, URLS["planner"], URLS["network"], max(2, self.seconds // 2)
        )
        if result.get("error"):
            self.row(
                "route planning (in-process)",
                f"{NA} ({result['error']})",
                f"plain Dijkstra {result['baseline_per_s']:.0f} plans/s",
            )
            return
        self.row(
            "route planning (in-process)",
            f"{result['plans_per_s']:.0f} plans/s",
            f"plain Dijkstra {result['baseline_per_s']:.0f} plans/s",
            f"{result['plans_per_s'] / result['baseline_per_s']:.0%}",
        )

    def write(self) -> None:
        header = ("measure", "result", "baseline (same run)", "ratio", "target", "")
        table = [header, ("---",) * len(header), *self.rows]
        text = "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in table)
        counts = data.counts(self.url)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        lines = [
            "# Benchmark results",
            "",
            f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at commit {commit}, "
            f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the end), "
            f"gunicorn {self.workers} sync workers, wrk 2 threads x {self.connections} "
            f"connections x {self.seconds} s per row.",
            "Data: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()) + ".",
            "",
            text,
            "",
            *(f"- {note}" for note in self.notes),
            "",
        ]
        RESULTS.write_text("\n".join(lines), encoding="utf-8")
        print("\n" + text + f"\n\nWritten to {RESULTS}")


def main() -> None:
    Bench().run()


if __name__ == "__main__":
    main()
