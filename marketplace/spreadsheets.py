"""Reading and writing the CSV and XLSX files people open in spreadsheet programs, in one
place so that every export is safe to open and every import is bounded.

Writing: a text cell starting with = + - @, a tab or a carriage return would be run as a
formula (`=HYPERLINK(...)`), so it gets a leading apostrophe (OWASP's advice); numbers stay
numbers. Reading: rows are read lazily, at most `max_cols` cells and `max_rows` non-empty
rows, and an XLSX file's declared size is never trusted: the zip's unpacked size is checked
before openpyxl opens it. The apostrophe an export added is taken off again on import, so
an exported file imports unchanged.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain, islice

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .errors import DomainError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A registry of 50,000 households is about 30 MB of sheet XML; a file unpacking to more
# is refused before openpyxl reads it (a 17 KB file can declare a million cells).
MAX_XLSX_UNPACKED = 64 * 1024 * 1024
MAX_XLSX_MEMBERS = 500
# A physical CSV line longer than this is refused before it is split into cells.
MAX_CSV_LINE = 1_000_000


def escape(value):
    """A cell value safe to open in a spreadsheet: text that would be a formula gets "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape(text: str) -> str:
    """Undo `escape` on a cell read back from a file."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class CsvWriter:
    """csv.writer whose text cells are escaped."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([escape(v) for v in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: list, rows: Iterable[Iterable], **kwargs) -> str:
    """A whole (small) CSV file as text, every cell escaped."""
    out = io.StringIO()
    writer = CsvWriter(out, **kwargs)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def xlsx_value(value):
    """A value for an openpyxl cell: text escaped (openpyxl would store "=..." as a formula)."""
    if isinstance(value, int | float | Decimal):
        return value
    return escape(value)


def _too_many_rows(max_rows: int) -> DomainError:
    return DomainError(_l("At most %(n)s rows per file.", n=max_rows - 1))


def csv_rows(text: str, max_rows: int, max_cols: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-empty row, the header included; at most `max_rows`
    rows (DomainError on the next) and `max_cols` cells per row (the rest are dropped)."""
    reader = csv.reader(_bounded_lines(text), strict=False)
    count = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            if count > max_rows:
                raise _too_many_rows(max_rows)
            yield reader.line_num, [unescape(cell) for cell in row[:max_cols]]
    except csv.Error:
        limit = f"{csv.field_size_limit():,}"
        raise DomainError(
            _l(
                "Line %(line)s cannot be read: a cell is longer than %(n)s characters "
                "or a quotation mark is not closed.",
                line=reader.line_num,
                n=limit,
            )
        ) from None


def _bounded_lines(text: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_CSV_LINE:
            limit = f"{MAX_CSV_LINE:,}"
            raise DomainError(
                _l(
                    "Line %(line)s is longer than %(n)s characters.",
                    line=number,
                    n=limit,
                )
            )
        yield line


def check_xlsx_size(data: bytes) -> None:
    """Refuse a workbook whose members unpack to more than MAX_XLSX_UNPACKED bytes, reading
    only the zip directory (what each member claims); the reader enforces the claim."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DomainError(_l("The file is not a readable XLSX workbook.")) from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED:
        size = f"{unpacked / 1024 / 1024:,.0f}"
        raise DomainError(
            _l(
                "The workbook unpacks to %(size)s MB; at most %(max)s MB can be imported.",
                size=size,
                max=MAX_XLSX_UNPACKED // 1024 // 1024,
            )
        )


def xlsx_rows(data: bytes, max_rows: int, max_cols: int) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of each non-empty row of the first sheet, like `csv_rows`.
    The sheet's declared dimension is ignored: openpyxl would pad every row to it."""
    check_xlsx_size(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError(_l("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet.reset_dimensions()
        count, blank = 0, (None,) * max_cols
        rows = sheet.iter_rows(max_col=max_cols, values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > 2 * max_rows:
                # openpyxl yields every missing row before one at row 1,000,000.
                raise DomainError(
                    _l(
                        "The sheet goes on below row %(n)s; remove the rows after your data.",
                        n=2 * max_rows,
                    )
                )
            if row == blank or all(
                v is None or (isinstance(v, str) and not v.strip()) for v in row
            ):
                continue
            count += 1
            if count > max_rows:
                raise _too_many_rows(max_rows)
            yield number, [unescape(v) if isinstance(v, str) else v for v in row]
    except DomainError:
        raise
    except Exception as exc:  # a broken sheet part, bad XML, a member larger than it claims
        raise DomainError(_l("The file is not a readable XLSX workbook.")) from exc
    finally:
        book.close()


# --- writing a report workbook -------------------------------------------------------------

SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
MEASURED_ROWS = 200  # rows read ahead to size the columns (the rest stream after them)
MIN_WIDTH, MAX_WIDTH = 8, 60


def sheet_name(text: str) -> str:
    """A valid worksheet name: at most 31 characters, none of [ ] : * ? / \\."""
    return (str(text).translate(SHEET_NAME_FORBIDDEN).strip() or "Sheet")[:31]


def text_width(value) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character counts two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_xlsx(
    out,
    *,
    sheet: str,
    title: str,
    header: list,
    rows: Iterable[list],
    number_formats: list | None = None,
) -> None:
    """A one-sheet workbook people can read at once: a title row (what, where, when), the
    header on row 2 in bold, frozen under it, with a filter; columns sized to their content
    (measured on the first rows); every text cell escaped. Rows are streamed
    (openpyxl write-only), so a 40,000-row report never sits in memory."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet_name(sheet))
    formats = number_formats or [None] * len(header)
    rows = iter(rows)
    head = [list(r) for r in islice(rows, MEASURED_ROWS)]
    for i, label in enumerate(header, start=1):
        widest = max([text_width(label), *(text_width(r[i - 1]) for r in head)])
        width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    last_col = get_column_letter(max(len(header), 1))

    def cell(value, number_format=None, font=None):
        value = xlsx_value(value)
        if value is None or (number_format is None and font is None):
            return value  # a plain value is much cheaper to write than a styled cell
        c = WriteOnlyCell(ws, value=value)
        if number_format:
            c.number_format = number_format
        if font:
            c.font = font
        return c

    ws.append([cell(title, font=Font(bold=True, size=13))])
    bold = Font(bold=True)
    ws.append([cell(label, font=bold) for label in header])
    count = 0
    for row in chain(head, rows):
        ws.append([cell(v, f) for v, f in zip(row, formats, strict=True)])
        count += 1
    ws.auto_filter.ref = f"A2:{last_col}{count + 2}"
    workbook.save(out)
