"""Run peer-support upkeep once, or every few minutes with --every (for a process manager)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.support.tasks import support_upkeep


class Command(UpkeepCommand):
    help = "Expire offers, match waiting requests and apply retention."
    task = support_upkeep
