"""Demo content for safety: the demo advisor is on duty at St Elsewhere all week, every hour.

No safety plan is made: a plan is private and the member writes their own.
"""

import datetime

from kindred.accounts.models import Organisation, User
from kindred.safety.models import DutyShift

MIDNIGHT = datetime.time(0, 0)


def seed_demo(stdout) -> None:
    school = Organisation.objects.filter(slug="st-elsewhere").first()
    advisor = User.objects.filter(email="advisor@example.org").first()
    if school is None or advisor is None:
        return
    for day in DutyShift.Weekday.values:
        DutyShift.objects.get_or_create(
            organisation=school,
            advisor=advisor,
            weekday=day,
            defaults={"starts": MIDNIGHT, "ends": MIDNIGHT},
        )
