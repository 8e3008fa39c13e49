"""Everything safety holds about one person, for "Download my data"."""

from kindred.safety import selectors
from kindred.safety.models import DutyShift


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    plan = selectors.safety_plan_of(user)
    return {
        "my_safety_plan": {name: getattr(plan, name) for name in plan.SECTIONS}
        | {"updated": _iso(plan.updated_at)}
        if plan
        else None,
        "escalations_about_me": [
            {
                "when": _iso(e.created_at),
                "organisation": e.organisation.name,
                "raised_by": e.raised_by.display_name if e.raised_by else "Kindred (automatic)",
                "source": e.get_source_display(),
                "level": e.level,
                "reasons": e.reason_labels(),
                "messages_attached": selectors.attached_messages(e),
                "status": e.get_status_display(),
                "acknowledged": _iso(e.acknowledged_at),
                "acknowledged_by": e.acknowledged_by.display_name if e.acknowledged_by else None,
                "closed": _iso(e.closed_at),
                "outcome": e.get_outcome_display() if e.outcome else None,
                "actions": [
                    {"when": _iso(a.at), "what": a.get_kind_display(), "note": a.note}
                    for a in e.actions.all()
                ],
            }
            for e in selectors.escalations_about(user)
        ],
        "my_advisor_duty_shifts": [
            {
                "organisation": s.organisation.name,
                "day": s.get_weekday_display(),
                "starts": s.starts.isoformat(),
                "ends": s.ends.isoformat(),
            }
            for s in DutyShift.objects.filter(advisor=user).select_related("organisation")
        ],
    }
