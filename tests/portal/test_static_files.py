"""What collectstatic publishes."""

import re
from pathlib import Path

import ckeditor
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

CKEDITOR = Path(ckeditor.__file__).parent / "static" / "ckeditor" / "ckeditor"
PLUGINS = "ckeditor/ckeditor/plugins/"


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


def requires(name: str, build: str) -> list[str]:
    """The plugins ``name`` says it needs, in the build or in its own plugin.js."""
    pattern = r'requires:\s*(?:"([^"]*)"|\[([^\]]*)\])'
    match = re.search(rf'CKEDITOR\.plugins\.add\("{name}",\{{' + pattern, build)
    own = CKEDITOR / "plugins" / name / "plugin.js"
    if match is None and own.exists():
        match = re.search(pattern, own.read_text(encoding="utf-8-sig"))
    if match is None:
        return []
    return re.findall(r"[a-z0-9]+", match[1] or match[2])


def editor_plugins() -> tuple[set[str], set[str], str]:
    """What the configured editor loads and removes, as CKEditor works it out:
    the build's list and extraPlugins, with what they require, less removePlugins."""
    build = (CKEDITOR / "ckeditor.js").read_text(encoding="utf-8-sig")
    config = settings.CKEDITOR_CONFIGS["default"]
    removed = set(config["removePlugins"].split(","))
    wanted = [
        *re.search(r"CKEDITOR\.config\.plugins='([^']*)'", build)[1].split(","),
        *config["extraPlugins"].split(","),
    ]
    loaded = set()
    while wanted:
        name = wanted.pop()
        if name not in loaded and name not in removed:
            loaded.add(name)
            wanted += requires(name, build)
    return loaded, removed, build


def test_the_plugin_folders_published_are_those_of_plugins_the_editor_loads():
    loaded, _removed, _build = editor_plugins()
    shipped = {folder.name for folder in (CKEDITOR / "plugins").iterdir() if folder.is_dir()}
    published = {
        path[len(PLUGINS) :].split("/")[0]
        for path in collected_paths()
        if path.startswith(PLUGINS) and "/" in path[len(PLUGINS) :]
    }
    assert published == shipped & loaded
    assert {"image2", "link", "table", "tabletools", "specialchar", "find"} <= published
    assert not {"wsc", "preview", "templates", "scayt", "about", "smiley"} & published


def test_no_plugin_the_editor_loads_needs_one_it_removes():
    """CKEditor reports "editor-plugin-required" in the console otherwise."""
    loaded, removed, build = editor_plugins()
    assert {
        (name, need) for name in loaded for need in requires(name, build) if need in removed
    } == set()


def test_no_page_of_the_editor_bundle_is_published():
    paths = collected_paths()
    assert [path for path in paths if path.startswith("ckeditor/") and path.endswith(".html")] == []
    assert not any(
        path.startswith(("ckeditor/galleriffic/", "ckeditor/file-icons/")) for path in paths
    )
