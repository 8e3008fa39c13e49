"""Background work for peer support (django-tasks): matching, deadlines and retention."""

from django_tasks import task

from kindred.accounts.models import Organisation
from kindred.support import services


@task()
def support_upkeep() -> dict[str, int]:
    """Expire offers, match waiting requests, follow up referrals, apply retention."""
    expired = services.expire_overdue_offers()
    offered = sum(
        services.match_waiting_requests(organisation=organisation)
        for organisation in Organisation.objects.all()
    )
    purged = services.purge_closed_conversations()
    asked = services.send_referral_follow_ups()
    return {
        "offers_expired": expired,
        "offers_made": offered,
        "referral_follow_ups": asked,
        "conversations_deleted": purged,
    }
