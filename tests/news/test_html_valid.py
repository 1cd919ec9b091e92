"""Public pages are valid HTML5, checked by the Nu Html Checker (the W3C validator)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from awards.models import AwardDecision
from news.models import Article
from organizations.models import Person
from tests.factories import SEED_TITLE

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def nu_check(pages: dict[str, bytes], folder: Path) -> list[str]:
    jar = ROOT / os.environ.get("VNU_JAR", "")
    if not jar.is_file() or shutil.which("java") is None:
        pytest.fail(
            "The HTML checker needs Java and var/vnu-*/vnu.jar: run the tests with make test"
        )
    files = []
    for name, content in pages.items():
        path = folder / f"{name}.html"
        path.write_bytes(content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in {"error", "non-document-error"} or m.get("subType") == "warning"
    ]


def test_public_pages_are_valid_html5(client, tmp_path):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed = Article.objects.get(title=SEED_TITLE)
    decision = AwardDecision.objects.get()
    pages = {
        "home": client.get("/").content,
        "article": client.get(seed.get_absolute_url()).content,
        "not-found": client.get("/tin-tuc/khong-co-0/").content,
        "honour-roll": client.get("/khen-thuong/", {"q": "nguyen van"}).content,
        "decision": client.get(decision.get_absolute_url()).content,
        "organization": client.get(decision.authority.get_absolute_url()).content,
        "person": client.get(Person.objects.get(full_name="Lê Thị Vân").get_absolute_url()).content,
    }
    assert nu_check(pages, tmp_path) == []


def test_the_checker_reports_invalid_markup(tmp_path):
    # Proves the check above can fail.
    problems = nu_check({"broken": b"<!DOCTYPE html><html lang=vi><p><div></p>"}, tmp_path)
    assert problems
