"""Route planning, in-process: the logistics planner against a plain Dijkstra over the same
links, both timed on the same (cooperative's village point, pickup point) pairs."""

import contextlib
import heapq
import importlib
import inspect
import random
import time
from datetime import datetime

from . import data

# Names a planner module may use for "read the network from the database" (tried in order).
NETWORK_LOADERS = ("load_network", "build_network", "network_from_db", "load_graph")
PLANNERS = ("plan_route", "cheapest_route", "plan")


# Values for keyword-only parameters a planner may require.
KEYWORDS = {
    "cold_chain": False,
    "depart_after": datetime(2026, 11, 2, 8, 0),
    "weight_g": 1000,
    "now": datetime(2026, 11, 2, 8, 0),
}


def _adapter(modules, session, station_model):
    """Ways to call the planner as (origin id, destination id), whichever shape it has."""
    planner = modules[0]
    plan = next((getattr(planner, n) for n in PLANNERS if hasattr(planner, n)), None)
    if plan is None:
        raise LookupError(f"no {' / '.join(PLANNERS)} in {planner.__name__}")
    signature = inspect.signature(plan)
    kw = {
        name: KEYWORDS[name]
        for name, p in signature.parameters.items()
        if p.kind == p.KEYWORD_ONLY and p.default is p.empty and name in KEYWORDS
    }
    loader = next((getattr(m, n) for m in modules for n in NETWORK_LOADERS if hasattr(m, n)), None)
    attempts = []
    if loader is not None:
        network = loader()
        attempts.append(lambda o, d: plan(network, o, d, **kw))
        attempts.append(
            lambda o, d: plan(
                network, session.get(station_model, o), session.get(station_model, d), **kw
            )
        )
    attempts.append(lambda o, d: plan(o, d, **kw))
    attempts.append(
        lambda o, d: plan(session.get(station_model, o), session.get(station_model, d), **kw)
    )
    return attempts, signature


def _links(url: str) -> dict[int, list[tuple[int, int]]]:
    graph = {}
    with data.connect(url) as conn:
        for a, b, run, per_kg in conn.execute(
            "SELECT from_station_id, to_station_id, cost_per_run_fen, cost_per_kg_fen "
            "FROM links WHERE active AND to_station_id IS NOT NULL"
        ):
            graph.setdefault(a, []).append((b, run + per_kg))
    return graph


def dijkstra(graph, origin: int, destination: int) -> list[int] | None:
    """The baseline: cheapest path by a textbook Dijkstra with a binary heap."""
    best, previous, heap = {origin: 0}, {}, [(0, origin)]
    while heap:
        cost, node = heapq.heappop(heap)
        if node == destination:
            path = [node]
            while node in previous:
                node = previous[node]
                path.append(node)
            return path[::-1]
        if cost > best[node]:
            continue
        for nxt, step in graph.get(node, ()):
            if cost + step < best.get(nxt, float("inf")):
                best[nxt], previous[nxt] = cost + step, node
                heapq.heappush(heap, (cost + step, nxt))
    return None


def _rate(fn, pairs, seconds: float) -> float:
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        origin, destination = pairs[done % len(pairs)]
        fn(origin, destination)
        done += 1
    return done / (time.perf_counter() - began)


def route_planning(url: str, module: str, network_module: str, seconds: float) -> dict:
    """{'plans_per_s', 'baseline_per_s'}, or {'error': why the planner could not be run,
    'baseline_per_s'}."""
    with data.connect(url) as conn:
        homes = [r[0] for r in conn.execute("SELECT home_station_id FROM cooperatives")]
        points = [
            r[0] for r in conn.execute("SELECT id FROM stations WHERE kind = 'village_point'")
        ]
    rng = random.Random(9)
    pairs = [(rng.choice(homes), rng.choice(points)) for _ in range(2000)]
    graph = _links(url)
    baseline = _rate(lambda o, d: dijkstra(graph, o, d), pairs, seconds)
    try:
        modules = [importlib.import_module(module)]
    except ModuleNotFoundError:
        return {"error": f"no module {module}", "baseline_per_s": baseline}
    with contextlib.suppress(ModuleNotFoundError):
        modules.append(importlib.import_module(network_module))
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.logistics.models import Station

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": data.sqlalchemy_url(url),
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
        }
    )
    with app.app_context():
        try:
            attempts, signature = _adapter(modules, db.session, Station)
        except Exception as exc:  # an unknown API is reported, not fatal
            return {"error": f"planner API not recognised: {exc}", "baseline_per_s": baseline}
        errors = []
        for attempt in attempts:
            try:
                attempt(*pairs[0])
            except Exception as exc:
                db.session.rollback()
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            return {"plans_per_s": _rate(attempt, pairs, seconds), "baseline_per_s": baseline}
    error = f"plan_route{signature} not recognised ({errors[-1][:80]})"
    return {"error": error, "baseline_per_s": baseline}
