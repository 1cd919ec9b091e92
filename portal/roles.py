"""The newsroom's roles as permission groups: Phóng viên, Biên tập viên, Quản trị.

``sync_roles`` makes the groups in the database match these lists (a data
migration runs it once; ``python manage.py sync_roles`` after any change).
What each permission allows on an article is decided in news/permissions.py.
"""

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
ADMINISTRATOR = "Quản trị"

_REPORTER_PERMISSIONS = [
    "news.add_article",
    "news.change_article",  # their own drafts only, see news.permissions
    "news.view_article",
    "news.view_category",
    "news.view_tag",  # to choose an article's tags
    "media.add_image",
    "media.change_image",
    "media.view_image",
    "media.add_document",
    "media.view_document",
    "organizations.view_organization",
    "organizations.view_person",
    "organizations.view_position",
    "awards.view_awarddecision",
    "awards.view_awardrecipient",
    "awards.view_awardtype",
]

_EDITOR_PERMISSIONS = [
    *_REPORTER_PERMISSIONS,
    "news.publish_article",
    "news.delete_article",  # to the trash; deleting for good is news.purge_article
    "news.view_articleevent",
    "news.add_category",
    "news.change_category",
    "news.add_tag",
    "news.change_tag",
    "media.delete_image",
    "media.change_document",
    "media.delete_document",
    "organizations.add_organization",
    "organizations.change_organization",
    "organizations.add_person",
    "organizations.change_person",
    "organizations.add_position",
    "organizations.change_position",
    "organizations.delete_position",
    "awards.add_awarddecision",
    "awards.change_awarddecision",
    "awards.delete_awarddecision",
    "awards.add_awardrecipient",
    "awards.change_awardrecipient",
    "awards.delete_awardrecipient",
    "portal.view_sitesettings",
]

ALL = "__all__"

ROLES = {
    REPORTER: _REPORTER_PERMISSIONS,
    EDITOR: _EDITOR_PERMISSIONS,
    ADMINISTRATOR: ALL,  # users, roles and site settings included
}


def sync_roles(apps=None) -> dict[str, int]:
    """Create or update the role groups; return how many permissions each has."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for app_config in apps.get_app_configs():
        # Permissions are normally created after migrations; roles need them now.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    counts = {}
    for name, codes in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        if codes == ALL:
            permissions = Permission.objects.all()
        else:
            wanted = {tuple(code.split(".", 1)) for code in codes}
            permissions = [
                p
                for p in Permission.objects.select_related("content_type")
                if (p.content_type.app_label, p.codename) in wanted
            ]
            missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
            if missing:
                raise LookupError(f"Unknown permissions for role {name}: {sorted(missing)}")
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts
