from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def load_facilitator_guide(sender, using="default", **kwargs):
    """Kindred's facilitator guide exists on every install, demo data or not: after every
    migrate (and every test-database flush), add the pages that are missing."""
    from kindred.groups import services

    if "groups_facilitatorguidepage" not in connections[using].introspection.table_names():
        return
    services.load_kindred_guide()


class GroupsConfig(AppConfig):
    name = "kindred.groups"
    label = "groups"
    verbose_name = "Support groups and programmes"

    def ready(self):
        post_migrate.connect(load_facilitator_guide, sender=self)

    def seed_demo(self, stdout) -> None:
        from kindred.groups.demo import seed_demo

        seed_demo(stdout)

    def export_personal_data(self, user) -> dict:
        from kindred.groups.export import export_personal_data

        return export_personal_data(user)
