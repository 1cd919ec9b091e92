"""Store the QR code of every public article that lacks a current one."""

from django.core.management.base import BaseCommand

from news.models import Article


class Command(BaseCommand):
    help = (
        "Tạo mã QR lưu sẵn cho các bài đã đăng chưa có mã đúng địa chỉ hiện tại "
        "(sau khi đổi SITE_URL, sau khi nhập hoặc sinh bài hàng loạt)."
    )

    def handle(self, *args, **options):
        articles = Article.objects.published().only(
            "id", "slug", "status", "deleted_at", "published_at", "qr_image"
        )
        built = total = 0
        for article in articles.iterator(chunk_size=500):
            before = article.qr_image
            article.build_qr_image()
            built += article.qr_image != before
            total += 1
        self.stdout.write(
            self.style.SUCCESS(f"Built {built} QR codes; {total - built} were up to date.")
        )
