"""Safety over the API: your own safety plan, and open escalations for advisors."""

import datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from kindred.accounts.models import Role
from kindred.accounts.selectors import roles_of
from kindred.api.auth import acts_strongly
from kindred.core.errors import DomainError
from kindred.safety import selectors, services
from kindred.safety.models import Escalation
from kindred.safety.services import PLAN_LIMIT

router = Router(tags=["safety"])


class SafetyPlanIn(Schema):
    warning_signs: str = Field("", max_length=PLAN_LIMIT)
    coping_strategies: str = Field("", max_length=PLAN_LIMIT)
    people_and_places: str = Field("", max_length=PLAN_LIMIT)
    professionals: str = Field("", max_length=PLAN_LIMIT)
    safe_environment: str = Field("", max_length=PLAN_LIMIT)
    reasons_to_live: str = Field("", max_length=PLAN_LIMIT)


class SafetyPlanOut(SafetyPlanIn):
    updated_at: datetime.datetime | None


class EscalationOut(Schema):
    id: int
    organisation: str
    status: str
    level: str
    reasons: list[str]
    created_at: datetime.datetime
    url: str


def _plan_out(plan) -> dict:
    if plan is None:
        return {"updated_at": None}
    return {name: getattr(plan, name) for name in plan.SECTIONS} | {"updated_at": plan.updated_at}


@router.get("/safety/plan", response=SafetyPlanOut, summary="My safety plan (only mine)")
def get_safety_plan(request):
    return _plan_out(selectors.safety_plan_of(request.auth))


@router.put("/safety/plan", response=SafetyPlanOut, summary="Write or replace my safety plan")
def put_safety_plan(request, payload: SafetyPlanIn):
    try:
        plan = services.save_safety_plan(user=request.auth, **payload.dict())
    except DomainError as error:
        raise HttpError(400, error.message) from None
    return _plan_out(plan)


@router.get("/escalations", response=list[EscalationOut], summary="Open escalations where I advise")
def list_escalations(request):
    roles = roles_of(request.auth)
    organisations = roles.orgs_where(Role.ADVISOR)
    if not organisations or not acts_strongly(request):
        raise HttpError(403, "Advisor actions need a current advisor role and a second factor.")
    found = (
        Escalation.objects.filter(organisation__in=organisations)
        .exclude(status=Escalation.Status.CLOSED)
        .select_related("organisation")[:50]
    )
    return [
        {
            "id": e.pk,
            "organisation": e.organisation.slug,
            "status": e.status,
            "level": e.level,
            "reasons": e.reasons,
            "created_at": e.created_at,
            "url": f"/safety/escalations/{e.pk}/",
        }
        for e in found
    ]
