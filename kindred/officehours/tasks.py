"""Background work for office hours (django-tasks): the rolling window, reminders, lapses."""

from django_tasks import task

from kindred.officehours import services


@task()
def officehours_upkeep() -> dict[str, int]:
    """Make slots for the coming weeks, send due reminders, flag lapsed supporters' bookings,
    and close queues whose block has ended."""
    return {
        "slots_made": services.regenerate_all(),
        "reminders_sent": services.send_due_reminders(),
        "bookings_flagged": services.flag_bookings_of_lapsed_supporters(),
        "queue_places_closed": services.close_ended_queues(),
    }
