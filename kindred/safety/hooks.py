"""Where other apps tell safety that someone wrote something. Each hook never raises.

- Conversations: `support.services.send_message` calls `message_stored(message_id)` after commit.
- Check-ins, group topics, anonymous questions: call `text_submitted(...)` with the text and
  show the crisis panel when the returned assessment is high or imminent. These are private or
  anonymous, so nothing is escalated automatically: a check-in offers the member the choice, and
  a facilitator escalates with `services.escalate(raised_by=..., source=Source.GROUP, ...)`.
"""

import logging

from django.contrib import messages
from django.db import transaction

from kindred.safety import risk, selectors, services
from kindred.safety.models import Source

logger = logging.getLogger(__name__)


def message_stored(message_id: int) -> risk.Assessment | None:
    """Note risk in a member's message; at imminent level, page the advisor on duty at once."""
    try:
        with transaction.atomic():
            return _message_stored(message_id)
    except Exception:  # noqa: BLE001 - a failed check must never make sending fail
        logger.exception("Safety check failed for message %s", message_id)
        return None


def _message_stored(message_id: int) -> risk.Assessment | None:
    from kindred.support.models import Message

    message = (
        Message.objects.select_related("conversation__organisation", "conversation__member")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.sender_id != message.conversation.member_id:
        return None  # only the member's words are read; supporters' are not assessed
    conversation = message.conversation
    assessment = risk.assess(message.body)
    services.record_signal(
        organisation=conversation.organisation,
        source=Source.CONVERSATION,
        assessment=assessment,
        conversation=conversation,
    )
    if assessment.level == risk.IMMINENT and selectors.open_escalation_for(conversation) is None:
        services.escalate(
            raised_by=None,
            organisation=conversation.organisation,
            source=Source.AUTOMATIC,
            member=conversation.member,
            conversation=conversation,
            assessment=assessment,
        )
    return assessment


def text_submitted(*, organisation, source: str, text: str) -> risk.Assessment:
    """Assess text from a check-in, group topic or question; note the signal; never raises."""
    assessment = risk.assess(text)
    try:
        with transaction.atomic():
            services.record_signal(organisation=organisation, source=source, assessment=assessment)
    except Exception:  # noqa: BLE001 - the caller's submission must still succeed
        logger.exception("Could not note a safety signal for a %s", source)
    return assessment


# The same offer, for the JSON API (paths instead of the page's links).
HELP_NOW_API = (
    "If things feel hard right now, crisis lines are open day and night (/help-now/), and you "
    "can ask for a peer supporter (/support/)."
)
HELP_NOW = (
    "If things feel hard right now, you do not have to wait: crisis lines are open day and night "
    "under “Need help now?”, you can ask for a peer supporter, and your safety plan is on Kindred."
)


def offer_help(request, assessment: risk.Assessment | None, *, before: str = "") -> None:
    """After a person's own words signalled high or imminent risk, offer help gently (one message,
    the same wherever they wrote). `before` says first what happened to their words, if anything."""
    if assessment is None or not assessment.at_least(risk.HIGH):
        return
    messages.warning(
        request, " ".join(filter(None, [before, "Thank you for writing this.", HELP_NOW]))
    )
