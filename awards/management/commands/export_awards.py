"""Write the honour roll (one row per recipient) to a CSV or XLSX file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.exporting import honour_roll_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = "Xuất danh sách khen thưởng ra tệp CSV hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument(
            "output", type=Path, help="File to write, or - for standard output (CSV)."
        )
        parser.add_argument("--year", type=int, help="Only decisions signed in this year.")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="Default: from the file's extension, else CSV.",
        )

    def handle(self, *args, output, year=None, format=None, **options):
        fmt = format or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
        rows = honour_roll_rows(year=year)
        try:
            with output.open("wb") as stream:
                count = (write_xlsx if fmt == "xlsx" else write_csv)(rows, stream)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        self.stderr.write(f"Wrote {count} recipients to {output}.")
