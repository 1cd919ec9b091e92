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

        # collectstatic (which reads the staticfiles app's ignore patterns)
        # leaves out what django-ckeditor's bundle should not publish: CKEditor
        # 4's sample and manual test pages, its build and test runner files,
        # Markdown files naming its exact, end-of-life version, and the
        # exportpdf plugin (removed from the editor; it calls an outside
        # service). Directories match by their own name, files by name.
        staticfiles = apps.get_app_config("staticfiles")
        staticfiles.ignore_patterns = [
            *staticfiles.ignore_patterns,
            "*.md",
            "samples",
            "tests",
            "exportpdf",
            "bender-runner.config.json",
            "build-config.js",
        ]
