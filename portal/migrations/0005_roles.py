from django.db import migrations


def sync_roles(apps, schema_editor):
    # Reporters choose an article's tags (the form's autocomplete needs to
    # see them); editors add and rename them. The administrators' role is
    # every permission, those of the redirects, sites and login-throttle
    # apps included: it was first made before their tables existed.
    from portal.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_clean_stored_text"),
        ("news", "0015_article_event_restores"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("sites", "0002_alter_domain_unique"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
