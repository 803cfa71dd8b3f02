"""The editors' roles, defined once: which permissions Editors and Publishers hold.

Editors enter and correct records (drafts); Publishers also publish, unpublish and delete.
The groups are kept in sync after every migrate and by `manage.py setup_roles`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
PUBLISHERS = "Publishers"

CONTENT_APPS = ("dialogues", "seminars", "funding")
EDITOR_ACTIONS = ("add", "change", "view")
PUBLISHER_ACTIONS = EDITOR_ACTIONS + ("delete", "publish")


def role_permissions(actions):
    """(app_label, codename) pairs for every content model, its history included."""
    pairs = []
    for app_label in CONTENT_APPS:
        for model in global_apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            if name.startswith("historical"):
                pairs.append((app_label, f"view_{name}"))
                continue
            pairs += [
                (app_label, f"{action}_{name}") for action in actions if action in model._meta.default_permissions
            ]
    return pairs


def sync_roles(apps=global_apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in CONTENT_APPS:
        create_permissions(global_apps.get_app_config(app_label), verbosity=0)
    for group_name, actions in ((EDITORS, EDITOR_ACTIONS), (PUBLISHERS, PUBLISHER_ACTIONS)):
        wanted = set(role_permissions(actions))
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS).select_related("content_type")
        group.permissions.set([p for p in permissions if (p.content_type.app_label, p.codename) in wanted])


def sync_roles_after_migrate(sender, **kwargs):
    sync_roles()
