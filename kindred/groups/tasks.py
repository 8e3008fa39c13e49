"""Background work for groups (django-tasks): waiting-list offers and their expiry, reminders,
closing waiting lists and finishing cohorts."""

from django_tasks import task

from kindred.groups import services


@task()
def groups_upkeep() -> dict[str, int]:
    """Pass offers not accepted within 48 hours to the next person, offer any free places,
    remind people of tomorrow's sessions, close waiting lists of groups that no longer take
    newcomers, and finish groups whose last session has ended."""
    return {
        "offers_expired": services.expire_overdue_offers(),
        "places_offered": services.offer_all_free_places(),
        "reminders_sent": services.send_session_reminders(),
        "waiting_lists_closed": services.close_waiting_lists(),
        "cohorts_finished": services.finish_cohorts(),
    }
