from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.cache import bump_content_version

        # Signals here only keep caches correct: any change to what public
        # pages show makes every cached page stale.
        for label in ("news", "media", "organizations", "awards", "portal", "redirects"):
            for model in apps.get_app_config(label).get_models():
                post_save.connect(bump_content_version, sender=model, weak=False)
                post_delete.connect(bump_content_version, sender=model, weak=False)
        m2m_changed.connect(bump_content_version, weak=False)

        # collectstatic reads the staticfiles app's ignore patterns.
        from portal.static import IGNORE_PATTERNS

        staticfiles = apps.get_app_config("staticfiles")
        staticfiles.ignore_patterns = [*staticfiles.ignore_patterns, *IGNORE_PATTERNS]
