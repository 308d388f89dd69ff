"""The benchmark database: create and seed it once, pick sample inputs, make buyers' API
tokens, time the plain SQL baselines, and check that checkout never oversold."""

import hashlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
FLASK = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
CHINA_OFFSET = timedelta(hours=8)


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def connect(url: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(url, **kwargs)


def ensure_database(url: str) -> bool:
    """Create the database if missing; True if it was created."""
    name = url.rsplit("/", 1)[1].split("?")[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def flask(url: str, *args: str) -> None:
    """Run a flask command against the benchmark database, its output on the terminal."""
    env = {**os.environ, "DATABASE_URL": sqlalchemy_url(url), "FLASK_DEBUG": "1"}
    subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True)


def prepare(url: str, orders: int | None) -> float | None:
    """Migrate; seed the prefecture if there are no orders. Returns the seeding time, if any."""
    flask(url, "db", "upgrade")
    with connect(url) as conn:
        if conn.execute("SELECT count(*) FROM orders").fetchone()[0]:
            return None
    print("Seeding the prefecture (first run only: 4 to 10 minutes on 2 shared cores) ...")
    began = time.monotonic()
    extra = ["--orders", str(orders)] if orders else []
    flask(url, "seed-demo", "--scale", "prefecture", *extra)
    with connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # visibility map for index-only scans after COPY
    return time.monotonic() - began


def counts(url: str) -> dict[str, int]:
    tables = ("households", "products", "supply_lots", "orders", "order_lines", "income_entries")
    with connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def samples(url: str) -> dict:
    """Inputs for the requests: a busy county and search term, products, pickup points."""
    with connect(url) as conn:
        county, q = "622923", "百合"  # Yongjing lilies: the paper's example
        products = [r[0] for r in conn.execute(
            "SELECT p.id FROM products p JOIN supply_lots l ON l.product_id = p.id "
            "WHERE p.status = 'active' GROUP BY p.id HAVING sum(l.remaining) >= 100 "
            "ORDER BY p.id"
        )]  # fmt: skip
        # Cold-chain village points: every product, perishable or not, can be sent there.
        points = [r[0] for r in conn.execute(
            "SELECT id FROM stations WHERE kind = 'village_point' AND cold_chain ORDER BY id"
        )]  # fmt: skip
        first, last = conn.execute(
            "SELECT min(recognised_at), max(recognised_at) FROM income_entries"
        ).fetchone()
    return {
        "county": county,
        "q": q,
        "year": (last.year - 1) if last else 2025,
        "products": products,
        "pickup_points": points,
        "first_day": (first or datetime(2024, 11, 1)).date().isoformat(),
        "last_day": (last or datetime(2026, 11, 1)).date().isoformat(),
    }


def make_tokens(url: str, how_many: int, email: str | None = None) -> list[str]:
    """API tokens of `how_many` distinct bench buyers (or of the user `email`), valid a day."""
    tokens = [secrets.token_urlsafe(32) for _ in range(how_many)]
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    with connect(url) as conn:
        if email is None:
            hashed = conn.execute("SELECT password_hash FROM users LIMIT 1").fetchone()[0]
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO users (email, password_hash, name, active, session_version, "
                    "created_at) VALUES (%s, %s, %s, true, 1, now()) ON CONFLICT DO NOTHING",
                    [(f"bench{i}@bench.example.com", hashed, f"Bench buyer {i}")
                     for i in range(how_many)],
                )  # fmt: skip
            emails = [f"bench{i}@bench.example.com" for i in range(how_many)]
        else:
            emails = [email] * how_many
        ids = dict(conn.execute("SELECT email, id FROM users WHERE email = ANY(%s)", (emails,)))
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO api_tokens (user_id, token_hash, created_at, expires_at) "
                "VALUES (%s, %s, now(), %s)",
                [(ids[e], hashlib.sha256(t.encode()).hexdigest(), expires)
                 for e, t in zip(emails, tokens, strict=True)],
            )  # fmt: skip
    return tokens


INCOME_SQL = (
    "SELECT ie.household_id, sum(ie.amount_fen) FROM income_entries ie "
    "JOIN regions v ON v.id = ie.village_id "
    "WHERE v.code LIKE %(prefix)s AND ie.recognised_at >= %(start)s "
    "AND ie.recognised_at < %(end)s AND ie.household_id IS NOT NULL GROUP BY ie.household_id"
)
EXPORT_SQL = (
    "SELECT h.household_no, h.head_name, v.code, v.name_zh, h.members, "
    "h.net_income_per_person_fen FROM households h JOIN regions v ON v.id = h.village_id "
    "ORDER BY h.household_no"
)


def timed_sql(url: str, sql: str, params=None, repeat: int = 3) -> tuple[float, list]:
    """Median wall time of a query (rows fetched to the client) and its rows."""
    times, rows = [], []
    with connect(url) as conn:
        for _ in range(repeat):
            began = time.perf_counter()
            rows = conn.execute(sql, params).fetchall()
            times.append(time.perf_counter() - began)
    return statistics.median(times), rows


def income_baseline(url: str, county: str | None, year: int) -> tuple[float, int, int]:
    """(seconds, households, total fen) of the plain GROUP BY over the ledger, for the
    calendar year in China (UTC+8) as the reports count it; timestamps are naive UTC."""
    params = {
        "prefix": f"{county or '6229'}%",
        "start": datetime(year, 1, 1) - CHINA_OFFSET,
        "end": datetime(year + 1, 1, 1) - CHINA_OFFSET,
    }
    seconds, rows = timed_sql(url, INCOME_SQL, params)
    return seconds, len(rows), sum(r[1] for r in rows)


def stock_is_consistent(url: str, since: datetime) -> dict:
    """Oversell check after checkout: no lot below zero, every lot's sold units = allocations."""
    with connect(url) as conn:
        negative = conn.execute("SELECT count(*) FROM supply_lots WHERE remaining < 0").fetchone()
        mismatched = conn.execute(
            "SELECT count(*) FROM supply_lots l LEFT JOIN (SELECT lot_id, sum(quantity) AS q "
            "FROM line_allocations WHERE released_at IS NULL GROUP BY lot_id) a "
            "ON a.lot_id = l.id WHERE l.quantity - l.remaining <> COALESCE(a.q, 0)"
        ).fetchone()
        lines = conn.execute(
            "SELECT count(*), COALESCE(sum(l.quantity), 0), COALESCE(sum((SELECT sum(a.quantity) "
            "FROM line_allocations a WHERE a.order_line_id = l.id)), 0) FROM order_lines l "
            "JOIN orders o ON o.id = l.order_id WHERE o.created_at >= %s",
            (since,),
        ).fetchone()
    return {
        "negative_lots": negative[0],
        "lots_not_matching_allocations": mismatched[0],
        "lines": lines[0],
        "units_sold": int(lines[1]),
        "units_allocated": int(lines[2]),
    }


def checkout_statements(env: dict, token: str, product_id: int, point_id: int) -> dict:
    """SQL statements of one API checkout, counted in a process of its own (bench.statements)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.statements", token, str(product_id), str(point_id)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    return {"error": result.stderr[-500:]}


def buyer_order(url: str, email: str) -> str | None:
    """The reference of the buyer's newest order."""
    with connect(url) as conn:
        row = conn.execute(
            "SELECT o.reference FROM orders o JOIN users u ON u.id = o.buyer_id "
            "WHERE u.email = %s ORDER BY o.id DESC LIMIT 1",
            (email,),
        ).fetchone()
    return row[0] if row else None


def busiest_county_centre(url: str) -> tuple[int | None, str | None]:
    """The county centre with the most parcels at it now, and one of its operators."""
    with connect(url) as conn:
        row = conn.execute(
            "SELECT s.id, (SELECT u.email FROM station_operators so JOIN users u "
            "ON u.id = so.user_id WHERE so.station_id = s.id ORDER BY u.id LIMIT 1) "
            "FROM stations s LEFT JOIN parcels p ON p.current_station_id = s.id "
            "WHERE s.kind = 'county_center' GROUP BY s.id ORDER BY count(p.id) DESC LIMIT 1"
        ).fetchone()
    return (row[0], row[1]) if row else (None, None)
