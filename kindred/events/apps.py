from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kindred.events"
    label = "events"
    verbose_name = "Events and webinars"

    def seed_demo(self, stdout) -> None:
        from kindred.events.demo import seed_demo

        seed_demo(stdout)

    def export_personal_data(self, user) -> dict:
        from kindred.events.export import export_personal_data

        return export_personal_data(user)
