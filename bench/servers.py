"""The portal as production runs it, started from Python.

The benchmark and the multi-server tests need what a deployment has: their
own PostgreSQL database, production settings (DEBUG off, hashed static
files) and gunicorn with sync workers on a local port. This module makes
each of those; nothing here is imported by the portal itself.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent


def server_url() -> str:
    """The PostgreSQL server to use: ``DATABASE_URL``'s, or the embedded one."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    from portal.database import embedded_database_url

    return embedded_database_url(BASE_DIR / "var" / "pgdata")


def database_url(name: str, server: str | None = None) -> str:
    """The URL of database ``name`` on the same server as ``server``."""
    parts = urlsplit(server or server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str):
    from portal.database import parse_database_url

    params = parse_database_url(url)
    return psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )


def create_database(url: str, *, fresh: bool = False) -> None:
    """Create the database ``url`` names if it is missing (dropping it first if ``fresh``)."""
    name = urlsplit(url).path.lstrip("/")
    admin = _connect(database_url("postgres", url))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            if fresh:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()


def start_private_postgres(pgdata: Path) -> str:
    """Start (again) an embedded server of its own for ``pgdata``; return its URL.

    For tests that stop the database under a running portal. It is started in
    a process of its own: the library remembers servers it started in this
    one as running. ``portal.database.stop_embedded(pgdata)`` stops it.
    """
    code = (
        "import sys; from pathlib import Path; "
        "from portal.database import embedded_database_url; "
        "print(embedded_database_url(Path(sys.argv[1])))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code, str(pgdata)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(db_url: str, root: Path, *, site_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, every required value set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "PAGE_CACHE"}
    }
    env.update(
        {
            # The checkout's .env (DEBUG=1) is read only for unset variables.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": site_url,
            "DATABASE_URL": db_url,
            "STATIC_ROOT": str(root / "static"),
            "MEDIA_ROOT": str(root / "media"),
            "DOCUMENTS_ROOT": str(root / "documents"),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``python manage.py ARGS`` in ``env``; return its output, raise on failure."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class Gunicorn:
    """``gunicorn portal.wsgi`` with sync workers on 127.0.0.1:``port``."""

    def __init__(self, env: dict[str, str], port: int, *, workers: int = 2, log: Path):
        self.env = env
        self.port = port
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Gunicorn":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                # Under load a slow request is not a hung worker.
                "--timeout",
                "60",
            ],
            env=self.env,
            cwd=BASE_DIR,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory in MiB (Linux /proc)."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log_file", None):
            self._log_file.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
