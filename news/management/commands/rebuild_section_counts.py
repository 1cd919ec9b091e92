"""Count every section's articles again (the triggers of migration 0014 keep
them; this repairs them after anything that bypassed the triggers, such as
a load with triggers disabled)."""

from django.core.management.base import BaseCommand

from news.models import SectionCount


class Command(BaseCommand):
    help = (
        "Đếm lại số bài của mỗi chuyên mục dùng cho phân trang (bình thường cơ sở dữ liệu "
        "tự cập nhật; chỉ cần chạy sau khi nạp dữ liệu mà tắt trigger)."
    )

    def handle(self, *args, **options):
        corrected = SectionCount.objects.recount()
        self.stdout.write(self.style.SUCCESS(f"Section counts checked; {corrected} corrected."))
