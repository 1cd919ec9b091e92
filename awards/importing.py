"""Importing the recipients of an award decision from the lists staff keep in Excel.

Every row is checked before anything is written: one bad row and the
database is left exactly as it was, with each problem reported by line.
Rows already on the decision are left alone, so importing the same file
twice changes nothing.
"""

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.parsers import expat

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from awards.exporting import unmark_text
from awards.models import AwardDecision, AwardRecipient
from organizations.models import Organization, Person
from portal.text import clean_text, slugify_vi

# Column headers, as slugs, and the field each one fills. Headers are
# matched without accents or case, so "Họ tên", "HO TEN" and "ho-ten" agree.
HEADERS = {
    "loai": "kind",
    "doi-tuong": "kind",
    "ten": "name",
    "ho-ten": "name",
    "ho-va-ten": "name",
    "ten-tap-the": "name",
    "ho-ten-ten-tap-the": "name",
    "chuc-vu": "position",
    "don-vi": "unit",
    "thanh-tich": "achievement",
    "thu-tu": "order",
    "stt": "order",
}
KINDS = {"tap-the": "collective", "tt": "collective", "ca-nhan": "individual", "cn": "individual"}
MAX_ROWS = 5000
# Columns read from each row: the expected ones are the first few.
MAX_COLUMNS = 50
# Longer than any citation in a real decision; a bigger cell is a pasting accident.
MAX_ACHIEVEMENT = 2000
MAX_ORDER = 100_000


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``str()`` says why, in Vietnamese."""


@dataclass
class Row:
    line: int
    kind: str
    name: str
    position: str = ""
    unit: str = ""
    achievement: str = ""
    order: int | None = None
    # Filled in by planning:
    existing: object = None  # the matched Organization or Person, if any


@dataclass
class Plan:
    decision: AwardDecision
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line, message)
    to_add: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    new_organizations: list = field(default_factory=list)
    new_people: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def read_table(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) for each row of a CSV or XLSX file, header included."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xlsx" or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if suffix not in ("", ".csv", ".txt"):
        raise ImportFileError(_("Chỉ nhận tệp CSV hoặc Excel (.xlsx)."))
    return _read_csv(content)


# An XLSX file is a zip of XML parts, and openpyxl builds a whole row (and
# all the shared strings and styles) in memory before anything sees them: a
# 333 KB file holding one row of three million cells took two gigabytes and
# longer than a request may. So the archive is checked first, each part
# streamed once and nothing kept: its unpacked size, declared and actual, and
# in any part the cells of a row, the cells, the rows and the elements. Only
# then does openpyxl read it, and only MAX_COLUMNS columns of MAX_ROWS rows.
MAX_XLSX_PARTS = 1000
MAX_XLSX_BYTES = 50 * 1024 * 1024  # all parts, unpacked
MAX_ROW_CELLS = 1000  # cells written in one row, empty ones included
MAX_CELLS = 250_000
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows written, empty ones included
MAX_XML_ELEMENTS = 1_000_000
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL = f"{_SHEET_NS} row", f"{_SHEET_NS} c"
_CHUNK = 64 * 1024


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("Không đọc được tệp Excel; hãy lưu lại dạng .xlsx."))


def _too_large_xlsx() -> ImportFileError:
    return ImportFileError(
        _("Tệp Excel giải nén ra quá %(max)s MB; hãy chỉ giữ lại trang danh sách và lưu lại.")
        % {"max": MAX_XLSX_BYTES // (1024 * 1024)}
    )


class _PartLimits:
    """Counts what one XML part holds as expat reads it, and refuses it at
    the first limit passed, before the rest is read."""

    def __init__(self):
        self.elements = self.rows = self.cells = self.row_cells = 0
        self.line = 0

    def start(self, name, attributes):
        self.elements += 1
        if name == _CELL:
            self.cells += 1
            self.row_cells += 1
            if self.row_cells > MAX_ROW_CELLS:
                raise ImportFileError(
                    _(
                        "Dòng %(line)s của tệp Excel có quá %(max)s ô; hãy xóa các cột thừa "
                        "bên phải danh sách."
                    )
                    % {"line": self.line, "max": MAX_ROW_CELLS}
                )
            if self.cells > MAX_CELLS:
                raise ImportFileError(
                    _("Tệp Excel có quá %(max)s ô.")
                    % {"max": number_format(MAX_CELLS, force_grouping=True)}
                )
        elif name == _ROW:
            self.rows += 1
            self.row_cells = 0
            number = attributes.get("r", "")
            self.line = int(number) if number.isdigit() else self.line + 1
            if self.rows > MAX_SHEET_ROWS:
                raise ImportFileError(_("Tệp có quá %(max)s dòng.") % {"max": MAX_ROWS})
        if self.elements > MAX_XML_ELEMENTS:
            raise _too_large_xlsx()


def _refuse_doctype(*args):
    # No part of an XLSX file declares a DTD; one could define entities.
    raise _unreadable_xlsx()


def check_xlsx(content: bytes) -> None:
    """Refuse, with ``ImportFileError``, an XLSX file too large to read safely."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable_xlsx() from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise _unreadable_xlsx()
        if sum(part.file_size for part in parts) > MAX_XLSX_BYTES:
            raise _too_large_xlsx()
        unpacked = 0
        for part in parts:
            limits = _PartLimits()
            parser = expat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = limits.start
            parser.StartDoctypeDeclHandler = _refuse_doctype
            is_xml = True
            try:
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_XLSX_BYTES:
                            raise _too_large_xlsx()
                        if is_xml:
                            try:
                                parser.Parse(chunk, False)
                            except expat.ExpatError:
                                # Not XML (a picture): openpyxl does not parse it either.
                                is_xml = False
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                # A damaged or encrypted part, or one longer than it says.
                raise _unreadable_xlsx() from exc


def _read_csv(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp CSV phải được lưu với bảng mã UTF-8 (Excel: CSV UTF-8).")
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        # The export marks text a spreadsheet would run as a formula (exporting.py).
        return [(reader.line_num, [unmark_text(c) for c in row[:MAX_COLUMNS]]) for row in reader]
    except csv.Error as exc:
        # The csv module refuses a cell over 128 KiB: a damaged or mis-saved file.
        raise ImportFileError(
            _("Không đọc được dòng %(line)s của tệp CSV (ô quá dài hoặc sai định dạng).")
            % {"line": reader.line_num}
        ) from exc


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook

    check_xlsx(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _unreadable_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        # Bounds given, not taken from the sheet: its <dimension> may claim
        # 16,384 columns, and openpyxl would pad every row to them.
        values = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
        return [
            (number, ["" if v is None else str(v) for v in row])
            for number, row in enumerate(values, start=1)
        ]
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def parse_rows(table) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows and per-line errors from a table whose first non-empty row is the header."""
    table = [(line, [str(c) for c in cells]) for line, cells in table]
    # PostgreSQL cannot store a NUL character; it only ever comes from a damaged file.
    damaged = {line for line, cells in table if any("\x00" in c for c in cells)}
    # Cleaned as the models will store them, so that names match stored ones.
    table = [(line, [clean_text(c).strip() for c in cells]) for line, cells in table]
    table = [(line, cells) for line, cells in table if any(cells) or line in damaged]
    if not table:
        raise ImportFileError(_("Tệp không có dòng nào."))
    header_line, header = table[0]
    columns = {}
    for index, title in enumerate(header):
        key = HEADERS.get(slugify_vi(title))
        if key and key not in columns:
            columns[key] = index
    missing = [
        label
        for key, label in (("kind", "Loại"), ("name", "Họ tên / Tên tập thể"))
        if key not in columns
    ]
    if missing:
        raise ImportFileError(
            _("Dòng tiêu đề (dòng %(line)s) thiếu cột: %(columns)s.")
            % {"line": header_line, "columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("Tệp có quá %(max)s dòng.") % {"max": MAX_ROWS})

    rows, errors = [], []
    for line, cells in table[1:]:

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        kind = KINDS.get(slugify_vi(cell("kind")))
        name = " ".join(cell("name").split())
        problems = []
        if kind is None:
            problems.append(_("cột Loại phải là “Tập thể” hoặc “Cá nhân”"))
        if not name:
            problems.append(_("thiếu tên"))
        elif len(name) > (limit := 200 if kind == "individual" else 300):
            problems.append(_("tên dài quá %(limit)s ký tự") % {"limit": limit})
        order = None
        if cell("order"):
            try:
                order = int(float(cell("order")))
            except (ValueError, OverflowError):  # "abc", "inf"
                order = None
            if order is None or not 0 <= order <= MAX_ORDER:
                order = None
                problems.append(_("cột Thứ tự phải là số từ 0 đến %(max)s") % {"max": MAX_ORDER})
        for key, label, limit in (
            ("position", _("Chức vụ"), 200),
            ("unit", _("Đơn vị"), 300),
            ("achievement", _("Thành tích"), MAX_ACHIEVEMENT),
        ):
            if len(cell(key)) > limit:
                problems.append(
                    _("cột %(column)s dài quá %(limit)s ký tự") % {"column": label, "limit": limit}
                )
        if line in damaged:
            problems.append(_("có ký tự không hợp lệ (ký tự null)"))
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        rows.append(
            Row(line, kind, name, cell("position"), cell("unit"), cell("achievement"), order)
        )
    return rows, errors


def award_recipients_plan(decision: AwardDecision, rows: list[Row], errors=None) -> Plan:
    """Match each row to an organization or person and say what an import would do."""
    plan = Plan(decision=decision, rows=rows, errors=list(errors or []))
    seen = {}
    on_decision = {
        (r.organization_id, r.person_id) for r in decision.recipients.only("organization", "person")
    }
    for row in rows:
        key = (row.kind, row.name.casefold())
        if key in seen:
            plan.errors.append((row.line, _("trùng với dòng %(line)s") % {"line": seen[key]}))
            continue
        seen[key] = row.line
        if row.kind == "collective":
            matches = list(
                Organization.objects.filter(name__iexact=row.name)[:2]
                or Organization.objects.filter(short_name__iexact=row.name)[:2]
            )
        else:
            matches = list(Person.objects.filter(full_name__iexact=row.name)[:2])
        if len(matches) > 1:
            plan.errors.append(
                (
                    row.line,
                    _("có nhiều mục tên “%(name)s”; hãy thêm dòng này bằng tay")
                    % {"name": row.name},
                )
            )
            continue
        row.existing = matches[0] if matches else None
        if row.existing is None:
            (plan.new_organizations if row.kind == "collective" else plan.new_people).append(
                row.name
            )
            plan.to_add.append(row)
            continue
        ids = (row.existing.pk, None) if row.kind == "collective" else (None, row.existing.pk)
        (plan.unchanged if ids in on_decision else plan.to_add).append(row)
    plan.errors.sort()
    return plan


class ImportRejected(Exception):
    def __init__(self, plan):
        self.plan = plan
        super().__init__(f"{len(plan.errors)} bad rows")


def award_recipients_import(*, decision: AwardDecision, plan: Plan) -> int:
    """Apply a plan: all of it or, when any row is bad, nothing. Returns rows added."""
    if not plan.ok:
        raise ImportRejected(plan)
    with transaction.atomic():
        next_order = max(decision.recipients.values_list("order", flat=True), default=0) + 1
        for row in plan.to_add:
            target = row.existing
            if target is None:
                target = (
                    Organization.objects.create(name=row.name)
                    if row.kind == "collective"
                    else Person.objects.create(full_name=row.name)
                )
            AwardRecipient.objects.create(
                decision=decision,
                organization=target if row.kind == "collective" else None,
                person=target if row.kind == "individual" else None,
                position_as_written=row.position,
                unit_as_written=row.unit,
                achievement=row.achievement,
                order=row.order if row.order is not None else next_order,
            )
            next_order += 1
    return len(plan.to_add)


def plan_from_file(decision: AwardDecision, name: str, content: bytes) -> Plan:
    rows, errors = parse_rows(read_table(name, content))
    return award_recipients_plan(decision, rows, errors)
