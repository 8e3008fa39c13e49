"""Background work for events (django-tasks): reminders a day and an hour before."""

from django_tasks import task

from kindred.events import services


@task()
def events_upkeep() -> dict[str, int]:
    """Remind people going to an event a day before and an hour before (once each; the
    emails carry no content)."""
    return {"reminders_sent": services.send_event_reminders()}
