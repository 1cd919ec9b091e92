"""Responsive renditions: each image resized once per (width, format), then looked up.

File names are fixed by image, width and format, so a rebuild writes the
same names and HTML rendered earlier (article bodies) stays valid.
"""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage

from media.models import Image, Rendition
from media.validation import bare, in_srgb

WIDTHS = (320, 640, 1024, 1600)
# Open Graph and Zalo previews want a wide JPEG.
SHARE_WIDTH = 1200
QUALITY = {"webp": 80, "jpeg": 82}


def planned(image: Image) -> set[tuple[int, str]]:
    """The (width, format) pairs an image should have: never wider than the original."""
    widths = {min(width, image.width) for width in WIDTHS}
    pairs = {(width, fmt) for width in widths for fmt in ("webp", "jpeg")}
    pairs.add((min(SHARE_WIDTH, image.width), "jpeg"))
    return pairs


def rendition_name(image: Image, width: int, fmt: str) -> str:
    stem = PurePosixPath(image.file.name).stem
    return f"renditions/{image.pk}/{stem}-{width}w.{'jpg' if fmt == 'jpeg' else fmt}"


def render(source: PILImage.Image, width: int, fmt: str) -> tuple[bytes, int]:
    if source.mode not in ("RGB", "RGBA"):
        # Palette, greyscale-with-alpha and 16-bit images resize and encode as RGB(A).
        has_alpha = source.mode in ("LA", "PA") or "transparency" in source.info
        source = source.convert("RGBA" if has_alpha else "RGB")
    height = max(1, round(source.height * width / source.width))
    resized = source.resize((width, height), PILImage.Resampling.LANCZOS)
    if fmt == "jpeg" and resized.mode != "RGB":
        # JPEG has no transparency: lay the picture on white, as a page would show it.
        background = PILImage.new("RGB", resized.size, "white")
        rgba = resized.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        resized = background
    # Pillow would write the source's comment or profile into the copy.
    bare(resized)
    out = io.BytesIO()
    options = {"quality": QUALITY[fmt], "optimize": True}
    if fmt == "jpeg":
        options["progressive"] = True
    resized.save(out, fmt.upper(), **options)
    return out.getvalue(), height


def build_renditions(image: Image, *, missing_only: bool = False) -> int:
    """Build the image's renditions; return how many files were written.

    The image row is locked while building, so two processes asked for the
    same image (a save and a ``rebuild_renditions``, say) never write the
    same file at once: the second waits, then finds the work done.
    """
    with transaction.atomic():
        Image.objects.select_for_update().filter(pk=image.pk).first()
        existing = {(r.width, r.format): r for r in image.renditions.all()}
        wanted = planned(image)
        built = 0
        source = None
        for width, fmt in sorted(wanted):
            if missing_only and (width, fmt) in existing:
                continue
            if source is None:
                with image.file.open("rb") as handle:
                    source = PILImage.open(io.BytesIO(handle.read()))
                    source.load()
                # Photos stored before uploads were converted may still have a profile.
                source = in_srgb(source)
            content, height = render(source, width, fmt)
            name = rendition_name(image, width, fmt)
            default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(content))
            Rendition.objects.update_or_create(
                image=image, width=width, format=fmt, defaults={"height": height, "file": saved}
            )
            built += 1
        for key, rendition in existing.items():
            if key not in wanted:
                default_storage.delete(rendition.file.name)
                rendition.delete()
        image.rendition_files = rendition_files(image)
        Image.objects.filter(pk=image.pk).update(rendition_files=image.rendition_files)
    return built


def rendition_files(image: Image) -> list[list]:
    """The image row's list of its renditions, from the rendition rows."""
    return [
        [r.width, r.height, r.format, r.file.name]
        for r in Rendition.objects.filter(image=image).order_by("format", "width")
    ]
