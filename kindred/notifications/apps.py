from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kindred.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def export_personal_data(self, user) -> dict:
        from kindred.notifications.models import Notification

        return {
            "notifications": [
                {"when": n.created_at.isoformat(), "text": n.text, "read": bool(n.read_at)}
                for n in Notification.objects.filter(user=user)
            ]
        }
