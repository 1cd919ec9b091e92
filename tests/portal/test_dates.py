from datetime import UTC, datetime

import pytest

from portal.templatetags.portal import date_line
from tests.factories import vn_time


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (22, "Thứ Hai, 22/05/2023 17:20"),
        (23, "Thứ Ba, 23/05/2023 17:20"),
        (24, "Thứ Tư, 24/05/2023 17:20"),
        (25, "Thứ Năm, 25/05/2023 17:20"),
        (26, "Thứ Sáu, 26/05/2023 17:20"),
        (27, "Thứ Bảy, 27/05/2023 17:20"),
        (28, "Chủ Nhật, 28/05/2023 17:20"),
    ],
)
def test_date_line_names_every_weekday_as_the_portal_does(day, expected):
    assert date_line(vn_time(2023, 5, day, 17, 20)) == expected


def test_date_line_is_written_in_the_site_time_zone():
    # 23:30 UTC on Tuesday is already Wednesday morning in Hải Phòng.
    assert date_line(datetime(2023, 5, 23, 23, 30, tzinfo=UTC)) == "Thứ Tư, 24/05/2023 06:30"


def test_date_line_of_nothing_is_empty():
    assert date_line(None) == ""


def test_vietnamese_date_and_number_formats_are_active():
    from django.utils import formats

    assert formats.date_format(vn_time(2023, 5, 24, 17, 20), "SHORT_DATE_FORMAT") == "24/05/2023"
    assert formats.number_format(2275, force_grouping=True) == "2.275"
    assert formats.number_format(3.7, decimal_pos=1) == "3,7"
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
