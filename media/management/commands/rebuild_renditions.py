"""Rebuild the responsive renditions of library images.

Safe to re-run: file names are fixed by image, width and format, so a
rebuild overwrites in place and pages rendered earlier keep working.
``--clean-originals`` first rewrites, under the same name, each stored photo
that still carries metadata (a comment or colour profile kept by uploads
before they were cleaned of them); a clean photo is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError

from media.models import Image
from media.renditions import build_renditions, planned
from media.services import image_clean_stored
from media.validation import UploadRejected, carries_metadata


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
            "--clean-originals",
            action="store_true",
            help="First rewrite stored photos that still carry metadata, then build all "
            "their renditions.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be built, write nothing."
        )

    def handle(
        self,
        *args,
        missing_only=False,
        images=None,
        dry_run=False,
        clean_originals=False,
        **options,
    ):
        self.verbosity = options["verbosity"]
        queryset = Image.objects.prefetch_related("renditions").order_by("pk")
        if images:
            queryset = queryset.filter(pk__in=images)
            missing = set(images) - set(queryset.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No image with id {', '.join(map(str, sorted(missing)))}.")
        total = queryset.count()
        built = cleaned = failed = 0
        for index, image in enumerate(queryset.iterator(chunk_size=100), start=1):
            try:
                rewrite = clean_originals and self._clean(image, dry_run)
                cleaned += rewrite
                if dry_run:
                    have = {(r.width, r.format) for r in image.renditions.all()}
                    wanted = planned(image)
                    only_missing = missing_only and not rewrite
                    built += len(wanted - have) if only_missing else len(wanted)
                else:
                    built += build_renditions(image, missing_only=missing_only and not rewrite)
            except (OSError, ValueError, UploadRejected) as error:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
            self._progress(index, total)
        verb = "Would build" if dry_run else "Built"
        cleaning = ""
        if clean_originals:
            cleaning = f"{'would clean' if dry_run else 'cleaned'} {cleaned} originals; "
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {built} renditions for {total} images; {cleaning}{failed} failed."
            )
        )
        if failed:
            raise CommandError(f"{failed} images could not be processed (see above).")

    def _clean(self, image: Image, dry_run: bool) -> bool:
        if dry_run:
            with image.file.open("rb") as handle:
                return carries_metadata(handle.read())
        return image_clean_stored(image)

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity < 1 or not total:
            return
        width = 30
        filled = width * done // total
        bar = "█" * filled + "·" * (width - filled)
        ending = "\n" if done == total else ""
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending=ending)
        self.stdout.flush()
