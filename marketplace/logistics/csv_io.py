"""CSV import and export of stations and links.

Imports check every row first and write nothing if any row is wrong (all-or-nothing); each
error names its line. Stations are keyed by code; links by (from code, to code, carrier),
an empty `to_code` being an express hand-over. Money is in yuan, times are Beijing time.
"""

from datetime import time

from flask_babel import lazy_gettext as _l
from sqlalchemy import String

from .. import spreadsheets
from ..accounts.services import find_user_by_login
from ..errors import DomainError
from ..extensions import db
from ..money import fen_to_yuan, yuan_to_fen
from ..regions.services import get_by_code
from ..transaction import verb
from .models import Link, Station, StationKind
from .network import check_link, check_station, find_link, get_station_by_code, save_link
from .network import save_station as save_station_row

STATION_COLUMNS = [
    "code", "kind", "region_code", "name_zh", "name_en", "address", "opening_hours",
    "cold_chain", "capacity_per_day", "active", "operators",
]  # fmt: skip
LINK_COLUMNS = [
    "from_code", "to_code", "carrier", "distance_km", "cost_per_run_yuan", "cost_per_kg_yuan",
    "transit_minutes", "cold_chain", "weekdays", "departs_at", "cost_is_assumption", "active",
]  # fmt: skip
MAX_ROWS = 10_000
MAX_EXTRA_COLUMNS = 20  # columns the importer does not know are ignored, up to this many
MAX_CELL = 1000  # operators lists several logins; every other field is shorter
# Text columns stored as typed hold at most what their database column holds.
TEXT_LIMITS = {
    column.name: column.type.length
    for table in (Station.__table__, Link.__table__)
    for column in table.columns
    if isinstance(column.type, String) and column.type.length
}
TRUE = {"1", "true", "yes", "y", "是"}
FALSE = {"0", "false", "no", "n", "否"}


class ImportRefused(DomainError):
    """The file has errors; `details["errors"]` lists them, one per line; nothing was saved."""


def _yes(value: str, default: bool) -> bool:
    value = (value or "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(_l("“%(value)s” is not yes or no.", value=value))


def _int(value: str, default: int | None = None) -> int:
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(_l("“%(value)s” is not a whole number.", value=value)) from None
    if number < 0:
        raise ValueError(_l("“%(value)s” must not be negative.", value=value))
    return number


def _fen(value: str) -> int:
    try:
        fen = yuan_to_fen((value or "").strip() or "0")
    except ValueError:
        raise ValueError(_l("“%(value)s” is not an amount in yuan.", value=value)) from None
    if fen < 0:
        raise ValueError(_l("“%(value)s” must not be negative.", value=value))
    return fen


def parse_hhmm(value: str) -> time:
    """'8:00' or '08:00' as a time; ValueError with a message otherwise."""
    try:
        hour, minute = (int(part) for part in value.strip().split(":"))
        return time(hour, minute)
    except ValueError:
        raise ValueError(_l("Give the departure time as HH:MM.")) from None


def _rows(data: bytes, columns: list[str]):
    """(line number, row) pairs, read lazily with bounds on rows and line length (the
    apostrophe an export put before a formula-like cell is taken off); raises
    ImportRefused if the header lacks a column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_l("Save the file as CSV in UTF-8."), errors=[]) from None
    try:
        rows = spreadsheets.csv_rows(text, MAX_ROWS + 1, len(columns) + MAX_EXTRA_COLUMNS)
        _, header = next(rows, (0, []))
        missing = [c for c in columns if c not in header]
        if missing:
            raise ImportRefused(
                _l(
                    "The first line must name the columns: %(columns)s.",
                    columns=", ".join(columns),
                ),
                errors=[],
            )
        for line, cells in rows:
            row = dict(zip(header, cells, strict=False))
            yield line, {k: (row.get(k) or "").strip() for k in columns}
    except ImportRefused:
        raise
    except DomainError as exc:
        raise ImportRefused(exc.message, errors=[]) from None


def _check_cells(row: dict) -> None:
    """A NUL or a cell longer than any station or link field is refused before it is used."""
    for key, value in row.items():
        if "\x00" in value:
            raise ValueError(_l("%(col)s contains a NUL character.", col=key))
        limit = TEXT_LIMITS.get(key, MAX_CELL)
        if len(value) > limit:
            raise ValueError(_l("%(col)s is longer than %(n)s characters.", col=key, n=limit))


def _refuse_if(errors: list) -> None:
    if errors:
        raise ImportRefused(
            _l("Nothing was imported: %(count)d lines have errors.", count=len(errors)),
            errors=[_l("Line %(line)d: %(message)s", line=n, message=m) for n, m in errors],
        )


def _station_fields(row: dict) -> dict:
    try:
        kind = StationKind(row["kind"])
    except ValueError:
        raise ValueError(_l("Unknown kind “%(kind)s”.", kind=row["kind"])) from None
    region = get_by_code(row["region_code"])
    if region is None:
        raise ValueError(_l("Unknown region code “%(code)s”.", code=row["region_code"]))
    operators = []
    for login in filter(None, (x.strip() for x in row["operators"].split(";"))):
        user = find_user_by_login(login)
        if user is None:
            raise ValueError(_l("No user “%(login)s”.", login=login))
        operators.append(user)
    if not row["code"] or not row["name_zh"]:
        raise ValueError(_l("A station needs a code and a Chinese name."))
    return dict(
        code=row["code"], kind=kind, region=region, name_zh=row["name_zh"],
        name_en=row["name_en"] or None, address=row["address"] or None,
        opening_hours=row["opening_hours"] or None, cold_chain=_yes(row["cold_chain"], False),
        capacity_per_day=_int(row["capacity_per_day"], 100), active=_yes(row["active"], True),
        operators=operators,
    )  # fmt: skip


@verb
def import_stations(data: bytes) -> int:
    """Create or update stations from CSV; all rows or none. Returns how many rows."""
    parsed, errors, seen = [], [], set()
    for line, row in _rows(data, STATION_COLUMNS):
        try:
            _check_cells(row)
            fields = _station_fields(row)
            if fields["code"] in seen:
                raise ValueError(_l("The code %(code)s appears twice.", code=fields["code"]))
            seen.add(fields["code"])
            station = get_station_by_code(fields["code"])
            check_station(
                station, code=fields["code"], kind=fields["kind"], region=fields["region"],
                operators=fields["operators"],
            )  # fmt: skip
        except (ValueError, DomainError) as exc:
            errors.append((line, getattr(exc, "message", None) or exc.args[0]))
            continue
        parsed.append((station, fields))
    _refuse_if(errors)
    for station, fields in parsed:
        save_station_row(station, **fields)
    return len(parsed)


def _link_fields(row: dict) -> dict:
    from_station = get_station_by_code(row["from_code"])
    if from_station is None:
        raise ValueError(_l("Unknown station code “%(code)s”.", code=row["from_code"]))
    to_station = None
    if row["to_code"]:
        to_station = get_station_by_code(row["to_code"])
        if to_station is None:
            raise ValueError(_l("Unknown station code “%(code)s”.", code=row["to_code"]))
    departs_at = parse_hhmm(row["departs_at"])
    return dict(
        from_station=from_station, to_station=to_station, carrier=row["carrier"] or None,
        distance_km=_int(row["distance_km"], 0), cost_per_run_fen=_fen(row["cost_per_run_yuan"]),
        cost_per_kg_fen=_fen(row["cost_per_kg_yuan"]),
        transit_minutes=_int(row["transit_minutes"], 60), cold_chain=_yes(row["cold_chain"], False),
        weekdays=row["weekdays"], departs_at=departs_at,
        cost_is_assumption=_yes(row["cost_is_assumption"], True), active=_yes(row["active"], True),
    )  # fmt: skip


@verb
def import_links(data: bytes) -> int:
    """Create or update links from CSV; all rows or none. Returns how many rows."""
    parsed, errors, seen = [], [], set()
    for line, row in _rows(data, LINK_COLUMNS):
        try:
            _check_cells(row)
            fields = _link_fields(row)
            key = (row["from_code"], row["to_code"], fields["carrier"] or "")
            if key in seen:
                raise ValueError(_l("This link appears twice in the file."))
            seen.add(key)
            link = find_link(fields["from_station"], fields["to_station"], fields["carrier"])
            check_link(
                link, from_station=fields["from_station"], to_station=fields["to_station"],
                carrier=fields["carrier"], weekdays=fields["weekdays"],
            )  # fmt: skip
        except (ValueError, DomainError) as exc:
            errors.append((line, getattr(exc, "message", None) or exc.args[0]))
            continue
        parsed.append((link, fields))
    _refuse_if(errors)
    for link, fields in parsed:
        save_link(link, **fields)
    return len(parsed)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _csv(columns: list[str], rows) -> bytes:
    text = spreadsheets.csv_text(columns, rows, lineterminator="\n")
    return text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def export_stations() -> bytes:
    """Every station as CSV (the format `import_stations` reads)."""
    stations = db.session.scalars(db.select(Station).order_by(Station.code))
    return _csv(
        STATION_COLUMNS,
        (
            [
                s.code,
                s.kind.value,
                s.region.code,
                s.name_zh,
                s.name_en or "",
                s.address or "",
                s.opening_hours or "",
                _yes_no(s.cold_chain),
                s.capacity_per_day,
                _yes_no(s.active),
                ";".join(u.login_name for u in s.operators),
            ]  # fmt: skip
            for s in stations
        ),
    )


def export_links() -> bytes:
    """Every link as CSV (the format `import_links` reads)."""
    links = db.session.scalars(db.select(Link).order_by(Link.id))
    return _csv(
        LINK_COLUMNS,
        (
            [
                link.from_station.code,
                link.to_station.code if link.to_station else "",
                link.carrier or "",
                link.distance_km,
                fen_to_yuan(link.cost_per_run_fen),
                fen_to_yuan(link.cost_per_kg_fen),
                link.transit_minutes,
                _yes_no(link.cold_chain),
                link.weekdays,
                link.departs_at.strftime("%H:%M"),
                _yes_no(link.cost_is_assumption),
                _yes_no(link.active),
            ]  # fmt: skip
            for link in links
        ),
    )
