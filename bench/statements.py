"""SQL statements of one checkout through the API, counted in process against the bench
database (`python -m bench.statements <token> <product id> <pickup point id>`): prints
BENCH_JSON {"statements": n, "transaction_control": m}."""

import json
import re
import sys

import sqlalchemy as sa

CONTROL = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE|ROLLBACK TO)\b", re.I)


def main() -> None:
    token, product_id, point_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    from marketplace import create_app
    from marketplace.extensions import db

    app = create_app()
    app.config["TRUSTED_HOSTS"] = None  # the test client says Host: localhost
    client = app.test_client()
    body = {
        "lines": [{"product_id": product_id, "quantity": 1}],
        "pickup_station_id": point_id,
        "payment_method": "cash_at_pickup",
    }
    headers = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/orders", json=body, headers=headers)  # warms the network cache
    seen = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    status = client.post("/api/v1/orders", json=body, headers=headers).status_code
    control = sum(1 for s in seen if CONTROL.match(s))
    print("BENCH_JSON " + json.dumps(
        {"status": status, "statements": len(seen) - control, "transaction_control": control}
    ))  # fmt: skip


if __name__ == "__main__":
    main()
