from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kindred.safety"
    label = "safety"
    verbose_name = "Safety"

    def seed_demo(self, stdout) -> None:
        from kindred.safety.demo import seed_demo

        seed_demo(stdout)

    def export_personal_data(self, user) -> dict:
        from kindred.safety.export import export_personal_data

        return export_personal_data(user)
