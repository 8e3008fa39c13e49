"""Background work for notifications (django-tasks): emails held for quiet hours or digests."""

from django_tasks import task

from kindred.notifications import services


@task()
def notifications_upkeep() -> dict[str, int]:
    return {"emails_sent": services.send_held_emails()}
