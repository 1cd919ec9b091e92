"""Reads from a replica for anonymous public pages; everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, the public pages' reads go to the
replica. Writes, the admin, and any request that carries a session (a
logged-in editor, who must see their own change at once, not a lagging copy)
use the primary. ``PrimaryDatabaseMiddleware`` marks those requests.
"""

from contextvars import ContextVar

from django.conf import settings

_use_primary: ContextVar[bool] = ContextVar("use_primary", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = getattr(settings, "DATABASE_REPLICA_ALIAS", None)
        if replica and not _use_primary.get():
            return replica
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PrimaryDatabaseMiddleware:
    """Send the admin, writes and requests with a session to the primary database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primary = (
            request.method not in ("GET", "HEAD")
            or request.path.startswith("/quan-tri/")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        token = _use_primary.set(primary)
        try:
            return self.get_response(request)
        finally:
            _use_primary.reset(token)


class use_primary:
    """``with use_primary():`` for commands and services that must read what they wrote."""

    def __enter__(self):
        self._token = _use_primary.set(True)

    def __exit__(self, *exc):
        _use_primary.reset(self._token)


def replica_alias() -> str | None:
    """The replica this request's reads go to, or None when they use the primary."""
    alias = PrimaryReplicaRouter().db_for_read(None)
    return None if alias == "default" else alias
