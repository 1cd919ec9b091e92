"""Import the recipients of an award decision from a CSV or XLSX file.

Columns (first row; accents and case do not matter): Loại (Tập thể / Cá
nhân), Họ tên / Tên tập thể, and optionally Chức vụ, Đơn vị, Thành tích,
Thứ tự. Any bad row means nothing is written; re-importing changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.importing import ImportFileError, award_recipients_import, plan_from_file
from awards.models import AwardDecision


class Command(BaseCommand):
    help = "Nhập danh sách tập thể, cá nhân được khen của một quyết định từ tệp CSV hoặc XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--decision", type=int, required=True, help="AwardDecision id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing."
        )

    def handle(self, *args, file, decision, dry_run=False, **options):
        try:
            decision = AwardDecision.objects.get(pk=decision)
        except AwardDecision.DoesNotExist as exc:
            raise CommandError(f"No award decision with id {decision}.") from exc
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            plan = plan_from_file(decision, file.name, content)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        for line, message in plan.errors:
            self.stderr.write(f"Dòng {line}: {message}")
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} bad rows in {file.name}; nothing was imported.")
        summary = (
            f"{len(plan.to_add)} to add ({len(plan.new_organizations)} new organizations, "
            f"{len(plan.new_people)} new people), {len(plan.unchanged)} already on the decision."
        )
        if dry_run:
            self.stdout.write(f"Dry run: {summary}")
            return
        added = award_recipients_import(decision=decision, plan=plan)
        self.stdout.write(self.style.SUCCESS(f"Imported {added} recipients. {summary}"))
