"""Object permissions for the navigator (django-rules predicates).

`navigator.view_service`: national services are public; an organisation's own services are
for its members only (everyone else gets 404, so nothing about them leaks).
`navigator.manage_services`: the current coordinator of the organisation.
"""

import rules

from kindred.accounts.models import Role
from kindred.accounts.selectors import roles_of


@rules.predicate
def can_see_service(user, service) -> bool:
    if service is None:
        return False
    if service.organisation_id is None:
        return True
    return roles_of(user).has(Role.MEMBER, service.organisation_id)


@rules.predicate
def coordinates_organisation(user, organisation) -> bool:
    return organisation is not None and roles_of(user).has(Role.COORDINATOR, organisation.pk)


rules.add_perm("navigator.view_service", can_see_service)
rules.add_perm("navigator.manage_services", coordinates_organisation)
