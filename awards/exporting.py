"""The honour roll as a table, for archives and reports (and re-import)."""

import csv
import io

from awards.models import AwardRecipient

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
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return count - 1


def write_xlsx(rows, stream: io.BufferedIOBase) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Khen thưởng")
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    workbook.save(stream)
    return count - 1
