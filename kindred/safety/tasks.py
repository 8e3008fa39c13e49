"""Background work for safety (django-tasks): re-page unacknowledged escalations, retry emails."""

from django_tasks import task

from kindred.safety import services


@task()
def safety_upkeep() -> dict[str, int]:
    """Page the next advisor where a page went unacknowledged; resend failed page emails."""
    return {
        "advisors_repaged": services.repage_overdue(),
        "page_emails_sent": services.retry_page_emails(),
    }
