"""Run group upkeep once, or every few minutes with --every (for a process manager)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.groups.tasks import groups_upkeep


class Command(UpkeepCommand):
    help = "Expire and make waiting-list offers, send session reminders, finish cohorts."
    task = groups_upkeep
