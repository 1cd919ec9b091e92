from django.db import migrations

# The forms of commendation a city portal reports most (Luật Thi đua, khen thưởng).
AWARD_TYPES = [
    ("Huân chương Lao động", "nha-nuoc", 10),
    ("Bằng khen của Thủ tướng Chính phủ", "chinh-phu", 20),
    ("Cờ thi đua", "thanh-pho", 30),
    ("Bằng khen", "thanh-pho", 40),
    ("Chiến sĩ thi đua cơ sở", "co-so", 50),
    ("Giấy khen", "quan-huyen", 60),
    ("Giấy khen", "phuong-xa", 70),
]


def add_award_types(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    for name, level, order in AWARD_TYPES:
        AwardType.objects.get_or_create(name=name, level=level, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_initial")]

    operations = [migrations.RunPython(add_award_types, migrations.RunPython.noop)]
