"""Rebuild the responsive renditions of library images.

Safe to re-run: file names are fixed by image, width and format, so a
rebuild overwrites in place and pages rendered earlier keep working.
"""

from django.core.management.base import BaseCommand, CommandError

from media.models import Image
from media.renditions import build_renditions, planned


class Command(BaseCommand):
    help = "Tạo lại các bản thu nhỏ (rendition) của ảnh trong thư viện."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only build renditions that do not exist yet.",
        )
        parser.add_argument(
            "--image",
            type=int,
            action="append",
            dest="images",
            metavar="ID",
            help="Only this image (repeatable).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be built, write nothing."
        )

    def handle(self, *args, missing_only=False, images=None, dry_run=False, **options):
        self.verbosity = options["verbosity"]
        queryset = Image.objects.prefetch_related("renditions").order_by("pk")
        if images:
            queryset = queryset.filter(pk__in=images)
            missing = set(images) - set(queryset.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No image with id {', '.join(map(str, sorted(missing)))}.")
        total = queryset.count()
        built = failed = 0
        for index, image in enumerate(queryset.iterator(chunk_size=100), start=1):
            if dry_run:
                have = {(r.width, r.format) for r in image.renditions.all()}
                wanted = planned(image)
                built += len(wanted - have) if missing_only else len(wanted)
            else:
                try:
                    built += build_renditions(image, missing_only=missing_only)
                except OSError as error:
                    failed += 1
                    self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
            self._progress(index, total)
        verb = "Would build" if dry_run else "Built"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {built} renditions for {total} images; {failed} failed.")
        )
        if failed:
            raise CommandError(f"{failed} images could not be processed (see above).")

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity < 1 or not total:
            return
        width = 30
        filled = width * done // total
        bar = "█" * filled + "·" * (width - filled)
        ending = "\n" if done == total else ""
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending=ending)
        self.stdout.flush()
