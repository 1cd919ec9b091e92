"""The editor works from what collectstatic publishes, every dialog included."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIALOG_BUTTONS = ["link", "image", "table", "specialchar", "find", "replace"]
# Dialogs opened from the context menu of a table and a list.
DIALOG_COMMANDS = ["cellProperties", "tableProperties", "numberedListStyle"]


def test_every_dialog_opens_from_the_collected_files(live_server, settings, staff_page, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    # The test server serves static files through the finders: only the collected ones.
    settings.STATICFILES_DIRS = [settings.STATIC_ROOT]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    page = staff_page
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))

    def close_dialog():
        dialog = page.locator(".cke_dialog:visible")
        dialog.wait_for()
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")

    page.goto(f"{live_server.url}/quan-tri/news/article/add/")
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.wait_for()
    for button in DIALOG_BUTTONS:
        page.locator(f".cke_button__{button}").first.click()
        close_dialog()
    page.evaluate(
        "CKEDITOR.instances.id_body.setData("
        "'<table><tr><td>Ô</td></tr></table><ol><li>Mục</li></ol>')"
    )
    for command, element in zip(DIALOG_COMMANDS, ["td", "td", "li"], strict=True):
        page.frame_locator("iframe.cke_wysiwyg_frame").locator(element).click()
        page.evaluate(f"CKEDITOR.instances.id_body.execCommand('{command}')")
        close_dialog()
    body.click()
    page.keyboard.press("Alt+0")  # the accessibility help
    close_dialog()

    assert failed == []
    assert page.console_errors == []
