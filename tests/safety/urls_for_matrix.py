"""Safety URLs for tests/test_authorization_matrix.py: each makes what it needs.

Sam (supporter) escalated about Alice in St Elsewhere; Ada advises there; Cora coordinates.
"""

from django.urls import reverse

from kindred.safety import services
from kindred.safety.models import DutyShift, Source
from tests.factories import make_conversation

ESCALATION = {
    "anon": "login",
    "ada": 200,
    "sam": 200,
    "alice": 404,
    "bob": 404,
    "cora": 404,
    "oscar": 404,
    "olga": 404,
}
ADVISOR_POST = {"anon": "login", "ada": 302, "sam": 404, "alice": 404, "cora": 404, "oscar": 404}


def _escalation(w, *, acknowledged=False):
    conversation = make_conversation(w.alice, w.sam, w.school)
    found = services.escalate(
        raised_by=w.sam,
        organisation=w.school,
        source=Source.CONVERSATION,
        member=w.alice,
        conversation=conversation,
    )
    if acknowledged:
        services.acknowledge(advisor=w.ada, escalation=found)
    return found


def escalation(name, *, acknowledged=False):
    return lambda w: reverse(name, args=[_escalation(w, acknowledged=acknowledged).pk])


def conversation(name):
    return lambda w: reverse(name, args=[make_conversation(w.alice, w.sam, w.school).pk])


def school(name):
    return lambda w: reverse(name, args=[w.school.slug])


def duty_shift(w):
    shift = DutyShift.objects.create(
        organisation=w.school, advisor=w.ada, weekday=0, starts="09:00", ends="17:00"
    )
    return reverse("remove_duty_shift", args=[w.school.slug, shift.pk])
