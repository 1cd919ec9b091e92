"""Fill the database with N realistic Vietnamese articles, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from bench.data import generate_articles


class Command(BaseCommand):
    help = "Tạo N bài viết tiếng Việt giả lập (từ vựng của bài gốc) để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2023, help="Same seed, same articles.")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError("COUNT must be at least 1.")

        def progress(done, total):
            if options["verbosity"] < 1:
                return
            filled = 30 * done // total
            end = "\n" if done == total else ""
            self.stdout.write(f"\r[{'█' * filled}{'·' * (30 - filled)}] {done}/{total}", ending=end)
            self.stdout.flush()

        written = generate_articles(count, seed=seed, batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Created {written} articles."))
