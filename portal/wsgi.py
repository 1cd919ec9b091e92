import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URL patterns) lives as long as
# the worker: keep it out of the garbage collector's full passes, which then
# scan only what requests leave behind. Measured on an article page, a full
# pass went from about 40 ms, a pause every few thousand requests that
# showed in the 99th percentile, to about 4 ms.
gc.freeze()
