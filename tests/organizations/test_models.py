import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from organizations.models import Organization, Person, Position
from portal.text import vi_sort_key
from tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def test_vietnamese_sort_key_orders_letters_then_tones():
    words = [
        "Đào",
        "Dung",
        "Bình",
        "Ăn",
        "Ánh",
        "An",
        "Âu",
        "Cà",
        "Ca",
        "Cạ",
        "Ơn",
        "Ôn",
        "On",
        "Ưng",
        "Uy",
    ]
    assert sorted(words, key=vi_sort_key) == [
        "An",
        "Ánh",
        "Ăn",
        "Âu",
        "Bình",
        "Ca",
        "Cà",
        "Cạ",
        "Dung",
        "Đào",
        "On",
        "Ôn",
        "Ơn",
        "Uy",
        "Ưng",
    ]


def test_organizations_sort_the_vietnamese_way_in_the_database():
    for name in [
        "Đoàn Thanh niên phường",
        "Công an phường",
        "Ủy ban nhân dân phường",
        "Dân quân tự vệ phường",
        "Ban Chỉ đạo 799",
        "Hội Cựu chiến binh phường",
    ]:
        make_organization(name)
    assert list(Organization.objects.values_list("name", flat=True)) == [
        "Ban Chỉ đạo 799",
        "Công an phường",
        "Dân quân tự vệ phường",
        "Đoàn Thanh niên phường",  # Đ after D, not after Z
        "Hội Cựu chiến binh phường",
        "Ủy ban nhân dân phường",
    ]


def test_people_sort_by_given_name_then_family_name():
    for name in ["Lê Thị Vân", "Trần Văn An", "Nguyễn Đức Bình", "Đỗ Thị An", "Phạm Văn Đạt"]:
        make_person(name)
    assert list(Person.objects.values_list("full_name", flat=True)) == [
        "Đỗ Thị An",  # An, family Đỗ before Trần
        "Trần Văn An",
        "Nguyễn Đức Bình",
        "Phạm Văn Đạt",
        "Lê Thị Vân",
    ]


def test_a_person_can_hold_two_positions_at_once():
    ubnd = make_organization("Ủy ban nhân dân quận Hồng Bàng")
    bcd = make_organization("Ban Chỉ đạo 799 quận Hồng Bàng", parent=ubnd)
    van = make_person("Lê Thị Vân")
    Position.objects.create(
        person=van, organization=ubnd, title="Phó Chủ tịch Thường trực UBND quận"
    )
    Position.objects.create(person=van, organization=bcd, title="Trưởng Ban Chỉ đạo 799 quận")
    assert van.positions.current().count() == 2
    with pytest.raises(IntegrityError):
        Position.objects.create(
            person=van,
            organization=ubnd,
            title="X",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() - timezone.timedelta(days=1),
        )


def test_hierarchy_cycles_are_refused():
    city = make_organization("Ủy ban nhân dân thành phố")
    district = make_organization("Ủy ban nhân dân quận", parent=city)
    ward = make_organization("Ủy ban nhân dân phường", parent=district)
    city.parent = ward
    with pytest.raises(ValidationError, match="cấp dưới"):
        city.full_clean()
    with pytest.raises(ValidationError):
        city.save()
    city.refresh_from_db()
    assert city.parent is None
    district.parent = district
    with pytest.raises(ValidationError):
        district.save()


def test_ancestors_come_in_one_query_from_the_top(django_assert_num_queries):
    city = make_organization("Ủy ban nhân dân thành phố")
    district = make_organization("Ủy ban nhân dân quận", parent=city)
    ward = make_organization("Ủy ban nhân dân phường", parent=district)
    street = make_organization("Tổ dân phố số 5", parent=ward)
    with django_assert_num_queries(1):
        assert street.ancestors() == [city, district, ward]


def test_moving_a_unit_moves_its_children_in_the_tree_order():
    a = make_organization("A thành phố")
    b = make_organization("B thành phố")
    district = make_organization("Quận", parent=a)
    ward = make_organization("Phường", parent=district)
    district.parent = b
    district.save()
    ward.refresh_from_db()
    assert ward.depth == 2
    assert ward.tree_key.startswith(b.tree_key + "/")
    order = list(Organization.objects.order_by("tree_key").values_list("name", flat=True))
    assert order == ["A thành phố", "B thành phố", "Quận", "Phường"]


def test_functions_are_sanitised_and_text_stored_in_nfc():
    import unicodedata

    org = make_organization(
        unicodedata.normalize("NFD", "Công an quận Hồng Bàng"),
        functions='<p onclick="x()">Bảo vệ an ninh<script>alert(1)</script></p>',
    )
    org.refresh_from_db()
    assert org.name == "Công an quận Hồng Bàng"
    assert org.functions == "<p>Bảo vệ an ninh</p>"
    assert org.slug == "cong-an-quan-hong-bang"


def test_stale_organizations_command_lists_the_unverified(capsys):
    from io import StringIO

    make_organization("Đã kiểm tra", last_verified=timezone.localdate())
    make_organization("Lâu rồi", last_verified=timezone.localdate() - timezone.timedelta(days=400))
    make_organization("Chưa bao giờ")
    make_organization("Đã giải thể", is_active=False)
    out, err = StringIO(), StringIO()
    call_command("stale_organizations", "--days", "365", stdout=out, stderr=err)
    listed = out.getvalue()
    assert "Lâu rồi" in listed and "Chưa bao giờ" in listed
    assert "Đã kiểm tra" not in listed and "Đã giải thể" not in listed
    assert "2 organizations" in err.getvalue()
