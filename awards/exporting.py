"""The honour roll as a table, for archives and reports (and re-import)."""

import csv
import io
import re

from awards.models import AwardRecipient

# A spreadsheet runs a cell that begins with one of = + - @ (or a tab or a
# carriage return before one) as a formula: a name typed as
# =HYPERLINK("https://...") would run on the machine of whoever opens the
# export. In CSV, which has no cell types, such text gets Excel's text mark,
# a leading apostrophe (so does text that already begins with apostrophes
# before one, so that the mark can always be taken off again); the import
# of a CSV file takes it off. XLSX cells are written as text: no mark.
_RUNS_AS_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def mark_text(value):
    """``value`` for a CSV cell: text a spreadsheet would run, marked as text."""
    if isinstance(value, str) and _RUNS_AS_FORMULA.match(value):
        return "'" + value
    return value


def unmark_text(value: str) -> str:
    """``value`` as it was before ``mark_text``."""
    if value.startswith("'") and _RUNS_AS_FORMULA.match(value, 1):
        return value[1:]
    return value


COLUMNS = [
    "Số quyết định",
    "Ngày ký",
    "Hình thức",
    "Cơ quan khen",
    "Loại",
    "Họ tên / Tên tập thể",
    "Chức vụ",
    "Đơn vị",
    "Thành tích",
    "Thứ tự",
]


def honour_roll_rows(*, year: int | None = None):
    """One row per recipient, decisions newest first; a header row first."""
    recipients = AwardRecipient.objects.select_related(
        "decision__award_type", "decision__authority", "organization", "person"
    ).order_by("-decision__decided_on", "decision__id", "order", "id")
    if year:
        recipients = recipients.filter(decision__decided_on__year=year)
    yield COLUMNS
    for r in recipients.iterator(chunk_size=500):
        yield [
            r.decision.number,
            r.decision.decided_on.strftime("%d/%m/%Y"),
            r.decision.award_type.name,
            r.decision.authority.name,
            "Tập thể" if r.is_collective else "Cá nhân",
            r.name,
            r.position_as_written,
            r.unit_as_written,
            r.achievement,
            r.order,
        ]


def write_csv(rows, stream: io.BufferedIOBase) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # BOM: Excel reads UTF-8
    writer = csv.writer(text)
    count = 0
    for row in rows:
        writer.writerow([mark_text(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count - 1


def write_xlsx(rows, stream: io.BufferedIOBase) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Khen thưởng")

    def cell(value):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would write text beginning with = as a formula
        return cell

    count = 0
    for row in rows:
        sheet.append([cell(value) for value in row])
        count += 1
    workbook.save(stream)
    return count - 1
