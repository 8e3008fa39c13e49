"""Run event upkeep once, or every few minutes with --every (for a process manager)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.events.tasks import events_upkeep


class Command(UpkeepCommand):
    help = "Send event reminders a day and an hour before."
    task = events_upkeep
