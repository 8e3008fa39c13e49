"""Run office-hours upkeep once, or every few minutes with --every (for a process manager)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.officehours.tasks import officehours_upkeep


class Command(UpkeepCommand):
    help = "Make slots for the coming weeks, send reminders, flag lapsed supporters' bookings."
    task = officehours_upkeep
