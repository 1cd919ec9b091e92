"""Static files, served by whitenoise from the collected, hashed and
compressed (gzip and Brotli) copies that ``collectstatic`` writes."""

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    # A file whose name carries its content's hash never changes: browsers and
    # proxies may keep it a year (whitenoise's own default is ten), the usual
    # ceiling for "never expires" in HTTP caches.
    FOREVER = 365 * 24 * 60 * 60
