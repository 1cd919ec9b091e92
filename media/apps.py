from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Thư viện ảnh và tài liệu")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's guard against decompression bombs, at the portal's limit.
        # validation.py turns its warning into a refusal as well.
        Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_IMAGE_PIXELS
