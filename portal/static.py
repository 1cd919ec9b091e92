"""Static files, served by whitenoise from the collected, hashed and
compressed (gzip and Brotli) copies that ``collectstatic`` writes."""

from whitenoise.middleware import WhiteNoiseMiddleware

# CKEditor 4 plugins that the configured editor (CKEDITOR_CONFIGS) never
# loads: those django-ckeditor's bundle ships outside its build (the list
# in ckeditor.js, CKEDITOR.config.plugins) and the editor's extraPlugins, and
# those in its removePlugins. Their folders hold dialogs, pages (the preview
# page, the spell checker's frames) and libraries that nothing asks for.
CKEDITOR_UNUSED_PLUGINS = (
    # Outside the build.
    "adobeair",
    "autoembed",
    "autogrow",
    "autolink",
    "bbcode",
    "codesnippet",
    "codesnippetgeshi",
    "devtools",
    "divarea",
    "docprops",
    "embed",
    "embedbase",
    "embedsemantic",
    "iframedialog",
    "mathjax",
    "placeholder",
    "sharedspace",
    "sourcedialog",
    "stylesheetparser",
    "tableresize",
    "uicolor",
    "wsc",
    # Removed from the editor.
    "about",
    "exportpdf",
    "flash",
    "forms",
    "iframe",
    "image",
    "preview",
    "scayt",
    "smiley",
    "templates",
)

# What collectstatic (which reads the staticfiles app's ignore patterns)
# leaves out of django-ckeditor's bundle: CKEditor 4's sample and manual test
# pages, its build and test runner files, Markdown files naming its exact,
# end-of-life version, the folders of the plugins above, and the browse
# page's gallery of ckeditor_uploader, which the portal does not install
# (the media library has its own). A directory matches by its own name, a
# file by its name or its path.
IGNORE_PATTERNS = [
    "*.md",
    "samples",
    "tests",
    "bender-runner.config.json",
    "build-config.js",
    "ckeditor/galleriffic/*",
    "ckeditor/file-icons/*",
    *(f"ckeditor/ckeditor/plugins/{name}/*" for name in CKEDITOR_UNUSED_PLUGINS),
]


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    # A file whose name carries its content's hash never changes: browsers and
    # proxies may keep it a year (whitenoise's own default is ten), the usual
    # ceiling for "never expires" in HTTP caches.
    FOREVER = 365 * 24 * 60 * 60
