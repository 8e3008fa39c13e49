"""Object permissions for accounts (django-rules predicates).

`accounts.act_as_<role>` on an organisation: the person holds that role there, and it is
current (a trained role lapses with its training date). The second-factor rule belongs to the
session, so views check it separately with `selectors.can_act_as`.
"""

import rules

from kindred.accounts.models import Role
from kindred.accounts.selectors import roles_of


def holds_current_role(role: str):
    @rules.predicate(name=f"holds_current_{role}_role")
    def predicate(user, organisation) -> bool:
        return organisation is not None and roles_of(user).has(role, organisation.pk)

    return predicate


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


for _role in Role.values:
    rules.add_perm(f"accounts.act_as_{_role}", holds_current_role(_role))
rules.add_perm("accounts.manage_roles", holds_current_role(Role.COORDINATOR))
rules.add_perm("accounts.revoke_token", owns_token)
