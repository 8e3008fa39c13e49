"""allauth hooks: passwordless accounts with generated display names."""

from allauth.account.adapter import DefaultAccountAdapter


class KindredAccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        # Kindred has no usernames; User.save() generates the display name.
        return None

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        user.set_unusable_password()
        if commit:
            user.save()
        return user
