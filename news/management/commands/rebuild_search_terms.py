"""Recount the dictionary that corrects typos in searches (run it nightly)."""

from django.core.management.base import BaseCommand

from news.search import rebuild_terms


class Command(BaseCommand):
    help = (
        "Đếm lại từ điển dùng để gợi ý khi tìm kiếm gõ sai (Có phải bạn muốn tìm): "
        "từ mới, từ không còn bài nào dùng, số bài của mỗi từ."
    )

    def handle(self, *args, **options):
        size = rebuild_terms()
        self.stdout.write(self.style.SUCCESS(f"The search dictionary has {size} words."))
