"""Bulk loading inside the session's transaction: COPY on PostgreSQL (psycopg 3), executemany
on SQLite. Rows are tuples in the order of the column names given, with explicit ids."""

import json
from collections.abc import Callable, Iterable

import sqlalchemy as sa

from ..extensions import db

BATCH = 5_000
PROGRESS_EVERY = 20_000

# Plain indexes (not those behind a primary key or unique constraint) of the tables being
# loaded: dropped before COPY and rebuilt once at the end, which is several times faster
# than maintaining them row by row.
_PLAIN_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND t.relname = ANY(%s) AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""


class BulkWriter:
    """Writes generated rows table by table; `finish()` rebuilds indexes and sequences."""

    def __init__(
        self,
        tables: Iterable[str],
        check_foreign_keys: bool = True,
        progress: Callable[[int], None] | None = None,
    ):
        self.tables = list(tables)
        self.progress = progress or (lambda n: None)
        self.connection = db.session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self.rows_written = {}
        self.notes = []
        self._indexes = []
        if self.postgres:
            self._raw = self.connection.connection.driver_connection
            self._prepare_postgres(check_foreign_keys)

    def _prepare_postgres(self, check_foreign_keys: bool) -> None:
        with self._raw.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cur.fetchone()[0]
            if not check_foreign_keys and superuser:
                # Skips the per-row foreign-key triggers for this transaction only; CHECK
                # constraints (remaining >= 0, amounts >= 0 ...) still apply to every row.
                cur.execute("SET LOCAL session_replication_role = replica")
                self.notes.append("foreign-key triggers skipped during the load")
            cur.execute(_PLAIN_INDEXES, (self.tables,))
            self._indexes = cur.fetchall()
            for name, _ in self._indexes:
                cur.execute(f'DROP INDEX "{name}"')

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Insert every row of `rows` into `table`; returns the number written."""
        if table not in self.tables:
            raise ValueError(f"{table} was not announced to the writer")
        meta = db.metadata.tables[table]
        json_cols = [i for i, c in enumerate(columns) if isinstance(meta.c[c].type, sa.JSON)]
        if self.postgres:
            count = self._copy(table, columns, rows, json_cols)
        else:
            count = self._executemany(meta, columns, rows)
        self.rows_written[table] = self.rows_written.get(table, 0) + count
        return count

    def _copy(self, table, columns, rows, json_cols) -> int:
        count = 0
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self._raw.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                if json_cols:
                    row = list(row)
                    for i in json_cols:
                        row[i] = json.dumps(row[i])
                copy.write_row(row)
                count += 1
                if count % PROGRESS_EVERY == 0:
                    self.progress(PROGRESS_EVERY)
        self.progress(count % PROGRESS_EVERY)
        return count

    def _executemany(self, meta, columns, rows) -> int:
        count = 0
        batch = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= BATCH:
                self.connection.execute(meta.insert(), batch)
                count += len(batch)
                self.progress(len(batch))
                batch = []
        if batch:
            self.connection.execute(meta.insert(), batch)
            count += len(batch)
            self.progress(len(batch))
        return count

    def finish(self) -> None:
        """Rebuild the dropped indexes, move id sequences past the loaded ids, and analyse."""
        if not self.postgres:
            return
        with self._raw.cursor() as cur:
            for _, definition in self._indexes:
                cur.execute(definition)
            for table in self.tables:
                id_col = db.metadata.tables[table].c.get("id")
                if id_col is None or not isinstance(id_col.type, sa.Integer):
                    continue
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            for table in self.tables:
                cur.execute(f"ANALYZE {table}")


def next_id(table: str) -> int:
    """The first free id of `table` (generated rows get explicit, consecutive ids)."""
    meta = db.metadata.tables[table]
    return (db.session.scalar(sa.select(sa.func.max(meta.c.id))) or 0) + 1
