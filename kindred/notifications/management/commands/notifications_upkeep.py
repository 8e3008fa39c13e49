"""Run notifications upkeep once, or every few minutes with --every (for a process manager)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.notifications.tasks import notifications_upkeep


class Command(UpkeepCommand):
    help = "Send the emails held for quiet hours and the daily and weekly digests."
    task = notifications_upkeep
