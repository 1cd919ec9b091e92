"""Backups: `backup` then `restore` into an empty database gives back the same site.

Both commands run as an administrator runs them, in their own processes
against their own databases: the source is filled with the demo content and
generated articles (photos, renditions, QR codes, documents, awards), and the
restored copy is compared with it row for row and file for file.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from bench import servers

SOURCE = "congtintuc_test_backup_source"
TARGET = "congtintuc_test_backup_target"
# Everything the portal keeps; contenttypes and permissions are compared too,
# since rows elsewhere point at them by id.
APPS = [
    "news",
    "media",
    "organizations",
    "awards",
    "portal",
    "auth",
    "contenttypes",
    "reversion",
]


def files_in(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def dump(env) -> list:
    return json.loads(servers.manage(env, "dumpdata", *APPS, "--indent", "0"))


DOCUMENT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from media.services import document_create, document_prepare
from tests.media.images import PDF
data, clean = document_prepare(SimpleUploadedFile("qd.pdf", PDF, "application/octet-stream"))
document_create(data=data, clean=clean, original_name="qd.pdf", title="Quyết định khen thưởng")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    urls = servers.database_url(SOURCE), servers.database_url(TARGET)
    for url in urls:
        servers.create_database(url, fresh=True)
    source = servers.production_env(urls[0], root / "source", site_url="http://127.0.0.1:8000")
    target = servers.production_env(urls[1], root / "target", site_url="http://127.0.0.1:8000")
    servers.manage(source, "migrate", "--noinput")
    servers.manage(source, "load_demo")
    servers.manage(source, "generate_articles", "40")
    servers.manage(source, "shell", "-c", DOCUMENT)
    servers.manage(source, "backup", str(root / "backup"))
    try:
        yield root, source, target
    finally:
        for url in urls:
            servers.create_database(url, fresh=True)


def test_a_restored_backup_has_every_row_and_every_file_of_the_site(site):
    root, source, target = site
    manifest = json.loads((root / "backup" / "manifest.json").read_text())
    assert manifest["files"]["entries"]  # photos, renditions, QR codes, documents

    output = servers.manage(target, "restore", str(root / "backup"))
    assert "Restored" in output

    before, after = dump(source), dump(target)
    kinds = {row["model"] for row in before}
    assert {"news.article", "media.image", "awards.awarddecision", "awards.awardrecipient"} <= kinds
    assert sum(row["model"] == "news.article" for row in before) > 40
    assert after == before
    for folder in ("media", "documents"):
        assert files_in(root / "target" / folder) == files_in(root / "source" / folder)
    assert files_in(root / "source" / "documents")  # the decision's PDF
    # The restored site serves: its search index and derived columns came along.
    assert servers.manage(target, "shell", "-c", SEARCH).strip().splitlines()[-1] == "found"


SEARCH = """
from news.models import Article
from news.search import search
print("found" if search(Article.objects.published(), "hong bang") else "missing")
"""


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(site):
    root, source, _target = site
    before = dump(source)
    with pytest.raises(RuntimeError, match="đã có bảng"):
        servers.manage(source, "restore", str(root / "backup"))
    assert dump(source) == before


def copy_of(backup: Path, where: Path) -> Path:
    shutil.copytree(backup, where)
    return where


def test_a_damaged_backup_is_refused_before_anything_is_written(site, tmp_path):
    root, _source, _target = site
    damaged = copy_of(root / "backup", tmp_path / "damaged")
    archive = bytearray((damaged / "files.tar").read_bytes())
    archive[len(archive) // 2] ^= 0xFF
    (damaged / "files.tar").write_bytes(bytes(archive))

    url = servers.database_url("congtintuc_test_backup_damaged")
    servers.create_database(url, fresh=True)
    env = servers.production_env(url, tmp_path / "site", site_url="http://127.0.0.1:8000")
    try:
        with pytest.raises(RuntimeError, match=r"files\.tar của bản sao lưu bị thiếu hoặc đã bị"):
            servers.manage(env, "restore", str(damaged))
        tables = servers.manage(env, "shell", "-c", TABLES).strip().splitlines()[-1]
        assert tables == "0"
        assert not (tmp_path / "site" / "media").exists()
    finally:
        servers.create_database(url, fresh=True)


def test_a_restore_that_fails_in_the_database_leaves_no_file_behind(site, tmp_path):
    root, _source, _target = site
    broken = copy_of(root / "backup", tmp_path / "broken")
    # A dump pg_restore cannot read, with a manifest that vouches for it.
    (broken / "database.dump").write_bytes(b"PGDMP" + b"\x00" * 100)
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["database"]["sha256"] = hashlib.sha256(
        (broken / "database.dump").read_bytes()
    ).hexdigest()
    (broken / "manifest.json").write_text(json.dumps(manifest))

    url = servers.database_url("congtintuc_test_backup_broken")
    servers.create_database(url, fresh=True)
    env = servers.production_env(url, tmp_path / "site", site_url="http://127.0.0.1:8000")
    try:
        with pytest.raises(RuntimeError, match="Khôi phục cơ sở dữ liệu thất bại"):
            servers.manage(env, "restore", str(broken))
        assert servers.manage(env, "shell", "-c", TABLES).strip().splitlines()[-1] == "0"
        assert files_in(tmp_path / "site" / "media") == {}
        assert files_in(tmp_path / "site" / "documents") == {}
    finally:
        servers.create_database(url, fresh=True)


TABLES = """
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
    print(c.fetchone()[0])
"""


def test_backup_refuses_a_folder_that_already_holds_something(site, tmp_path):
    _root, source, _target = site
    (tmp_path / "old.txt").write_text("bản cũ")
    with pytest.raises(RuntimeError, match="đã có dữ liệu"):
        servers.manage(source, "backup", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["old.txt"]


@pytest.mark.parametrize("where", ["a-file", "a-file/below-it"])
def test_backup_to_a_path_it_cannot_use_says_why(tmp_path, where):
    from django.core.management import CommandError, call_command

    (tmp_path / "a-file").write_text("không phải thư mục")
    with pytest.raises(CommandError, match=r"không phải thư mục|Không ghi được bản sao lưu"):
        call_command("backup", str(tmp_path / where))
    assert (tmp_path / "a-file").read_text() == "không phải thư mục"
