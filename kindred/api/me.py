"""GET /api/v1/me: who am I, and which roles can I act in."""

from ninja import Router, Schema

from kindred.accounts.selectors import roles_of

router = Router(tags=["me"])


class MembershipOut(Schema):
    organisation: str
    organisation_slug: str
    roles: list[str]
    lapsed_roles: list[str]


class MeOut(Schema):
    display_name: str
    country: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request):
    user = request.auth
    roles = roles_of(user)
    return {
        "display_name": user.display_name,
        "country": user.country,
        "memberships": [
            {
                "organisation": org.name,
                "organisation_slug": org.slug,
                "roles": sorted(roles.current.get(org_id, set())),
                "lapsed_roles": sorted(roles.lapsed.get(org_id, set())),
            }
            for org_id, org in sorted(roles.organisations.items(), key=lambda kv: kv[1].name)
        ],
    }
