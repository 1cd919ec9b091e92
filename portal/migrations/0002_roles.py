from django.db import migrations


def create_roles(apps, schema_editor):
    from portal.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0004_workflow"),
        ("media", "0001_initial"),
        ("organizations", "0001_initial"),
        ("awards", "0003_award_types"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
