"""An editor records a decision with two recipients; readers find them on the honour roll."""

import pytest

from awards.models import AwardDecision, AwardType
from tests.e2e.conftest import choose
from tests.factories import make_organization, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_a_decision_with_two_recipients_and_find_them(live_server, staff_page):
    page = staff_page
    authority = make_organization(
        "Ủy ban nhân dân quận Hồng Bàng", short_name="UBND quận Hồng Bàng"
    )
    make_organization("Công an phường Minh Khai", parent=authority)
    make_person("Lê Thị Vân")
    # Created here: transactional tests empty the tables the migrations filled.
    AwardType.objects.get_or_create(name="Giấy khen", level="quan-huyen")

    page.goto(f"{live_server.url}/quan-tri/awards/awarddecision/add/")
    page.fill("#id_number", "2468/QĐ-UBND")
    page.fill("#id_decided_on", "24/05/2023")
    page.select_option("#id_award_type", label="Giấy khen (Quận, huyện)")
    choose(page, "id_authority", "UBND quận Hồng Bàng")
    page.fill("#id_signer_title", "Chủ tịch UBND quận")
    page.fill("#id_reason", "Thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc.")

    add_row = page.locator(".inline-group .add-row a")
    add_row.click()
    choose(page, "id_recipients-0-organization", "Công an phường Minh Khai")
    add_row.click()
    choose(page, "id_recipients-1-person", "Lê Thị Vân")
    page.fill("#id_recipients-1-position_as_written", "Phó Chủ tịch Thường trực UBND quận")
    assert page.console_errors == []
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/quan-tri/awards/awarddecision/")

    decision = AwardDecision.objects.with_counts().get()
    assert (decision.collective_count, decision.individual_count) == (1, 1)

    page.goto(f"{live_server.url}/khen-thuong/")
    card = page.locator(".decision-card").first
    assert "Quyết định số 2468/QĐ-UBND" in card.inner_text()
    assert "1 tập thể, 1 cá nhân" in card.inner_text()
    page.fill("#id_q", "le thi van")
    page.click("form.filters button[type=submit]")
    assert page.locator(".decision-card mark").inner_text() == "Lê Thị Vân"
    page.click(".decision-card__title a")
    assert page.locator("#tap-the").inner_text() == "Tập thể (1)"
    assert "Công an phường Minh Khai" in page.locator("ol.recipients").first.inner_text()
    assert (
        "Lê Thị Vân, Phó Chủ tịch Thường trực UBND quận"
        in page.locator("ol.recipients").nth(1).inner_text()
    )
    assert page.console_errors == []
