from django import forms

from kindred.accounts.models import COUNTRIES, NotificationSettings, Organisation, Role


class KindredForm(forms.Form):
    """Marks invalid fields for assistive technology and shows domain errors by the field."""

    def add_domain_error(self, error) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class ProfileForm(KindredForm):
    display_name = forms.CharField(
        max_length=40, min_length=3, help_text="What other people on Kindred see."
    )
    real_name = forms.CharField(
        max_length=120, required=False, help_text="Optional. Never shown to other members."
    )
    country = forms.ChoiceField(
        choices=[("", "Choose a country")] + COUNTRIES,
        required=False,
        help_text="Chooses which crisis lines we show you.",
    )


class JoinStartForm(KindredForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), empty_label="Choose your organisation"
    )
    address = forms.EmailField(
        label="Your address at that organisation",
        help_text="We send a code to it, then forget it. Your organisation is not told.",
    )


class JoinConfirmForm(KindredForm):
    code = forms.CharField(
        max_length=12,
        label="The 6-digit code we emailed",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class GrantRoleForm(KindredForm):
    email = forms.EmailField(
        label="Their contact email", help_text="They see it on their account page."
    )
    role = forms.ChoiceField(choices=[(r, label) for r, label in Role.choices if r != Role.MEMBER])
    trained_until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Needed for supporters, facilitators and advisors: the role stops on this date.",
    )


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = [
            "email_messages",
            "email_bookings",
            "email_events",
            "email_programme_news",
            "frequency",
            "quiet_hours_start",
            "quiet_hours_end",
        ]
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}),
        }
        help_texts = {
            "quiet_hours_start": "No emails from this time…",
            "quiet_hours_end": "…until this time (your local time).",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if (start is None) != (end is None):
            self.add_error("quiet_hours_end", "Give both a start and an end for quiet hours.")
        return data


class ApiTokenForm(KindredForm):
    name = forms.CharField(max_length=80, help_text='What you will use it for, e.g. "my calendar".')


class DeleteAccountForm(KindredForm):
    confirm = forms.CharField(
        label='Type "delete my account" to confirm',
        max_length=40,
    )

    def clean_confirm(self):
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete my account":
            raise forms.ValidationError("Type the words “delete my account” exactly.")
        return value
