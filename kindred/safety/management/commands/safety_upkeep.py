"""Run safety upkeep once, or every minute or so with --every (pages are due in 15 minutes)."""

from kindred.core.upkeep import UpkeepCommand
from kindred.safety.tasks import safety_upkeep


class Command(UpkeepCommand):
    help = "Re-page advisors who did not acknowledge in time, and resend failed page emails."
    task = safety_upkeep
