from django import template
from django.urls import NoReverseMatch, reverse

from kindred.qanda import selectors

register = template.Library()

# kindred.events names its event page; the Q&A links back to it when it exists.
EVENT_PAGE_NAMES = ("event", "event_detail")


@register.simple_tag
def qanda_summary(event) -> dict:
    """Whether the event's Q&A is open, and how many questions the room sees (one query)."""
    return {"state": selectors.state_of(event), "count": selectors.visible_count(event)}


@register.simple_tag
def event_page_url(event) -> str:
    for name in EVENT_PAGE_NAMES:
        try:
            return reverse(name, args=[event.pk])
        except NoReverseMatch:
            continue
    return ""
