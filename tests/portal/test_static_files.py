"""What collectstatic publishes."""

from django.apps import apps
from django.contrib.staticfiles import finders


def collected_paths():
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    return {path for finder in finders.get_finders() for path, _storage in finder.list(ignore)}


def test_ckeditor_samples_tests_and_version_files_are_not_published():
    paths = collected_paths()
    assert "ckeditor/ckeditor/ckeditor.js" in paths  # the editor itself is
    assert "ckeditor/ckeditor/plugins/image2/plugin.js" in paths
    leaked = [
        path
        for path in paths
        if path.endswith(".md")
        or "/samples/" in path
        or "/tests/" in path
        or "exportpdf" in path
        or path.endswith(("bender-runner.config.json", "build-config.js"))
    ]
    assert leaked == []
