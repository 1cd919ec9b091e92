"""Small builders for test data: ``make_article(**overrides)``."""

from datetime import datetime
from zoneinfo import ZoneInfo

from news.models import Article, Category

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

SEED_TITLE = (
    "Quận Hồng Bàng: Gắn kết công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc "
    "với các phong trào cách mạng, các nhiệm vụ phát triển kinh tế-xã hội"
)


def vn_time(*args) -> datetime:
    """An aware datetime in the portal's time zone: ``vn_time(2023, 5, 24, 17, 20)``."""
    return datetime(*args, tzinfo=HANOI)


def make_category(**overrides) -> Category:
    fields = {"name": "Quốc phòng - An ninh"} | overrides
    return Category.objects.get_or_create(name=fields.pop("name"), defaults=fields)[0]


def make_article(**overrides) -> Article:
    fields = {
        "title": "Bài viết thử nghiệm",
        "lead": "Sapo của bài viết.",
        "body": "<p>Nội dung bài viết.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": vn_time(2023, 5, 24, 17, 20),
        "author_byline": "Hoàng Tùng",
    } | overrides
    if "category" not in fields:
        fields["category"] = make_category()
    return Article.objects.create(**fields)


def article_form_data(**fields) -> dict:
    """The article admin form as a browser posts it, with an empty gallery.

    Pass ``_transition="publish"`` (or submit, send_back, unpublish) to press
    one of the workflow buttons.
    """
    return {
        "title": "",
        "lead": "",
        "body": "",
        "category": "",
        "published_at_0": "",
        "published_at_1": "",
        "author_byline": "",
        "source": "",
        "slug": "",
        "original_url": "",
        "cover_image": "",
        "gallery_items-TOTAL_FORMS": "0",
        "gallery_items-INITIAL_FORMS": "0",
        "gallery_items-MIN_NUM_FORMS": "0",
        "gallery_items-MAX_NUM_FORMS": "1000",
    } | fields


def make_organization(name="Ủy ban nhân dân quận Hồng Bàng", **overrides):
    from organizations.models import Organization

    return Organization.objects.create(name=name, **overrides)


def organization_form_data(**fields) -> dict:
    """The organization admin form as a browser posts it, with no positions."""
    return {
        "name": "",
        "short_name": "",
        "kind": "chinh-quyen",
        "parent": "",
        "is_active": "on",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "logo": "",
        "last_verified": "",
        "functions": "",
        "slug": "",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
    } | fields


def make_person(full_name="Lê Thị Vân", **overrides):
    from organizations.models import Person

    return Person.objects.create(full_name=full_name, **overrides)


def make_decision(number="1234/QĐ-UBND", **overrides):
    from datetime import date

    from awards.models import AwardDecision, AwardType

    fields = {
        "decided_on": date(2023, 5, 24),
        "award_type": AwardType.objects.get_or_create(name="Giấy khen", level="quan-huyen")[0],
        "reason": "Thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc.",
        "signer_title": "Chủ tịch UBND quận",
    } | overrides
    if "authority" not in fields:
        fields["authority"] = make_organization("Ủy ban nhân dân quận Hồng Bàng (cơ quan khen)")
    return AwardDecision.objects.create(number=number, **fields)


def make_user(role: str | None, username: str | None = None):
    """A staff user in the named role group ("Phóng viên", "Biên tập viên", "Quản trị")."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal.roles import sync_roles

    if role and not Group.objects.filter(name=role).exists():
        sync_roles()  # transactional tests empty the tables the migrations filled
    user = get_user_model().objects.create_user(
        username or f"user{get_user_model().objects.count() + 1}",
        password="mat-khau-dai-123",
        is_staff=True,
        first_name=username or "",
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_image(title="Ảnh thử", alt_text="", user=None, **fields):
    """A library photo, stored with its renditions (each call a photo of its own)."""
    import uuid

    from media.services import image_upload
    from tests.media.images import image_bytes, upload

    # A colour of its own, so the library never takes it for a copy of another.
    red, green, blue = uuid.uuid4().bytes[:3]
    data = image_bytes(size=(320, 240), color=(red, green, blue))
    return image_upload(upload(data), user=user, title=title, alt_text=alt_text, **fields)
