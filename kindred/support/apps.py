from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "kindred.support"
    label = "support"
    verbose_name = "Peer support"

    def seed_demo(self, stdout) -> None:
        from kindred.support.demo import seed_demo

        seed_demo(stdout)

    def export_personal_data(self, user) -> dict:
        from kindred.support.export import export_personal_data

        return export_personal_data(user)
