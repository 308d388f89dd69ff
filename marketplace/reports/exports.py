"""CSV and XLSX exports of any report, streamed row by row so 40,000 households never sit
in memory at once: CSV is a generator response; XLSX is written by openpyxl's write-only
workbook into a temporary file that is then sent."""

import io
import tempfile
from decimal import Decimal

from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


def xlsx_response(table: Table, filename: str, sheet_title: str) -> Response:
    """Write the table to a write-only workbook in a temporary file and send that file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)

    def cell(value, number_format=None, font=None):
        if value is None or (number_format is None and font is None):
            return value  # a plain value is much cheaper to write than a styled cell
        c = WriteOnlyCell(sheet, value=value)
        if number_format:
            c.number_format = number_format
        if font:
            c.font = font
        return c

    sheet.append([cell(spreadsheets.xlsx_value(header(c)), font=bold) for c in table.columns])
    formats = [NUMBER_FORMATS.get(c.kind) for c in table.columns]
    for record in _records(table):
        values = [
            spreadsheets.xlsx_value(export_value(c, record.get(c.key), spreadsheet=True))
            for c in table.columns
        ]
        sheet.append([cell(v, f) for v, f in zip(values, formats, strict=True)])
    # An anonymous temporary file: removed by the OS once the response has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it)
    workbook.save(handle)
    handle.seek(0)
    return send_file(
        handle, mimetype=XLSX_MIME, as_attachment=True, download_name=f"{filename}.xlsx"
    )
