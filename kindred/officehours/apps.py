from django.apps import AppConfig


class OfficeHoursConfig(AppConfig):
    name = "kindred.officehours"
    label = "officehours"
    verbose_name = "Office hours"

    def export_personal_data(self, user) -> dict:
        from kindred.officehours.export import export_personal_data

        return export_personal_data(user)

    def seed_demo(self, stdout) -> None:
        from kindred.officehours.demo import seed_demo

        seed_demo(stdout)
