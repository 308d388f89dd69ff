"""CSV and XLSX exports of any report, streamed row by row so 40,000 households never sit
in memory at once: CSV is a generator response; XLSX is written by openpyxl's write-only
workbook into a temporary file that is then sent."""

import io
import tempfile
from decimal import Decimal

from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _

from .. import spreadsheets
from ..money import fen_to_yuan
from .services import Column, Table

CSV_FLUSH_BYTES = 16 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"fen": "#,##0.00", "share": "0.00%", "decimal": "0.0"}


def header(column: Column) -> str:
    """Column heading for a file: money columns say they are in yuan, shares in percent."""
    if column.kind == "fen":
        return _("%(label)s (yuan)", label=column.label)
    if column.kind == "share":
        return _("%(label)s (%%)", label=column.label)
    return str(column.label)


def export_value(column: Column, value, spreadsheet: bool = False):
    """A cell: yuan as exact decimals, shares as percent, yes/no in words, text made safe."""
    if value is None or value == "":
        return None if spreadsheet else ""
    kind = column.kind
    if kind != "text" and not isinstance(value, int | float | Decimal):
        kind = "text"  # a totals cell with words in a number column, e.g. "12 reach"
    if kind == "fen":
        return fen_to_yuan(int(value))
    if kind == "share":
        if spreadsheet:
            return Decimal(int(value)) / 10000
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    if kind == "yesno":
        return _("Yes") if value else _("No")
    if kind in ("int", "decimal"):
        return value
    return spreadsheets.escape(str(value))


def _records(table: Table):
    """Every row, then the totals row (if any), as dicts keyed by column."""
    yield from table.rows()
    if table.totals:
        yield table.totals


def csv_response(table: Table, filename: str) -> Response:
    """Stream the table as UTF-8 CSV (with a BOM so spreadsheet programs read the Chinese)."""

    def generate():
        buffer = io.StringIO()
        writer = spreadsheets.CsvWriter(buffer)
        buffer.write("\ufeff")
        writer.writerow([header(c) for c in table.columns])
        for record in _records(table):
            writer.writerow([export_value(c, record.get(c.key)) for c in table.columns])
            if buffer.tell() >= CSV_FLUSH_BYTES:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def xlsx_response(table: Table, filename: str, sheet_title: str, title: str = "") -> Response:
    """Write the table to a temporary file (spreadsheets.write_xlsx: title row, sized
    columns, frozen header, filter) and send that file."""
    formats = [NUMBER_FORMATS.get(c.kind) for c in table.columns]
    rows = (
        [export_value(c, record.get(c.key), spreadsheet=True) for c in table.columns]
        for record in _records(table)
    )
    # An anonymous temporary file: removed by the OS once the response has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it)
    spreadsheets.write_xlsx(
        handle,
        sheet=sheet_title,
        title=title or sheet_title,
        header=[header(c) for c in table.columns],
        rows=rows,
        number_formats=formats,
    )
    handle.seek(0)
    return send_file(
        handle, mimetype=XLSX_MIME, as_attachment=True, download_name=f"{filename}.xlsx"
    )
