"""List organizations whose details have not been verified for N days."""

from django.core.management.base import BaseCommand

from organizations.models import Organization


class Command(BaseCommand):
    help = "Liệt kê cơ quan, đơn vị chưa được kiểm tra thông tin trong N ngày."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="Default: 365.")
        parser.add_argument("--all", action="store_true", help="Include inactive organizations.")

    def handle(self, *args, days, **options):
        organizations = Organization.objects.stale(days).order_by("last_verified", "sort_key")
        if not options["all"]:
            organizations = organizations.active()
        count = 0
        for organization in organizations:
            count += 1
            checked = (
                organization.last_verified.strftime("%d/%m/%Y")
                if organization.last_verified
                else "chưa bao giờ"
            )
            self.stdout.write(f"{organization.pk}\t{checked}\t{organization.name}")
        self.stderr.write(f"{count} organizations not verified in the last {days} days.")
