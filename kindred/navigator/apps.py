from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def load_national_content(sender, using="default", **kwargs):
    """Crisis lines, national services and the friend guide exist on every install, demo data
    or not: after every migrate (and every test-database flush), add what is missing."""
    from kindred.navigator import search_index, services

    connection = connections[using]
    if "navigator_service" not in connection.introspection.table_names():
        return
    search_index.ensure(connection)
    services.load_national_directory()
    services.load_national_guide()


class NavigatorConfig(AppConfig):
    name = "kindred.navigator"
    label = "navigator"
    verbose_name = "Navigator"

    def ready(self):
        post_migrate.connect(load_national_content, sender=self)

    def seed_demo(self, stdout):
        """Demo entries for the demo medical school (national entries load on migrate)."""
        from kindred.accounts.models import Organisation
        from kindred.navigator import services

        services.load_national_directory()
        services.load_national_guide()
        school = Organisation.objects.filter(slug="st-elsewhere").first()
        if school is None:
            return
        result = services.load_demo_services(organisation=school)
        stdout.write(
            f"Navigator: {result.created} new and {result.updated} refreshed services "
            f"for {school.name}."
        )

    def export_personal_data(self, user) -> dict:
        """Finder answers the person chose to save (decrypted for them)."""
        from kindred.navigator.models import SavedFinderAnswers

        saved = SavedFinderAnswers.objects.filter(user=user).first()
        return {"saved_finder_answers": saved.answers if saved else None}
