from django.apps import AppConfig


class QandaConfig(AppConfig):
    name = "kindred.qanda"
    label = "qanda"
    verbose_name = "Live anonymous Q&A"

    def seed_demo(self, stdout) -> None:
        from kindred.qanda.demo import seed_demo

        seed_demo(stdout)

    def export_personal_data(self, user) -> dict:
        from kindred.qanda.export import export_personal_data

        return export_personal_data(user)
