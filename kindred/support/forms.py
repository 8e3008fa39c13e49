from django import forms

from kindred.accounts.forms import KindredForm
from kindred.support.models import SessionLog, SupporterProfile, SupportRequest, SupportSettings
from kindred.support.services import MESSAGE_LIMIT
from kindred.support.vocabulary import (
    GENDERS,
    IDENTITIES,
    LANGUAGES,
    STAGES,
    TOPICS,
    WAYS_TO_TALK,
)

LANGUAGE_CHOICES = [(lang, lang) for lang in LANGUAGES]


def _checkboxes(choices, label, required=False, help_text=""):
    return forms.MultipleChoiceField(
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        label=label,
        help_text=help_text,
    )


class SupporterProfileForm(KindredForm):
    status = forms.ChoiceField(
        choices=SupporterProfile.Status.choices,
        widget=forms.RadioSelect,
        help_text="While you take a break, nobody new is matched with you.",
    )
    topics = _checkboxes(TOPICS, "What you feel able to support", required=True)
    languages = _checkboxes(LANGUAGE_CHOICES, "Languages you can support in", required=True)
    stage = forms.ChoiceField(choices=[("", "Prefer not to say")] + STAGES, required=False)
    identities = _checkboxes(
        IDENTITIES,
        "I'm happy to be matched on (optional)",
        help_text="Members may ask for someone who shares an experience. Tick only what you are "
        "comfortable sharing.",
    )
    gender = forms.ChoiceField(
        choices=[("", "Prefer not to say")] + GENDERS[1:], required=False, label="Your gender"
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=15,
        label="Open conversations at most",
        help_text="Be kind to yourself: most supporters hold two or three.",
    )
    available_today = forms.BooleanField(required=False, label="I can usually reply within the day")


class SupportRequestForm(KindredForm):
    body = forms.CharField(
        required=False,
        max_length=MESSAGE_LIMIT,
        label="What would you like to talk about? (optional)",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_LIMIT}),
        help_text="Write as much or as little as you like. It is encrypted, and shown to the "
        "supporter only if you tick the box below.",
    )
    topics = _checkboxes(TOPICS, "What is it about?", help_text="Pick any that fit, or none.")
    urgency = forms.ChoiceField(
        choices=SupportRequest.Urgency.choices,
        widget=forms.RadioSelect,
        initial=SupportRequest.Urgency.THIS_WEEK,
        label="How soon would you like to talk?",
    )
    ways_to_talk = _checkboxes(WAYS_TO_TALK, "How would you like to talk?")
    anyone = forms.BooleanField(
        required=False,
        label="Anyone available is fine",
        help_text="We will ignore the preferences below and find the first good match.",
    )
    preferred_stages = _checkboxes(STAGES, "Someone at this stage (optional)")
    preferred_identities = _checkboxes(IDENTITIES, "Someone who shares this experience (optional)")
    preferred_languages = _checkboxes(LANGUAGE_CHOICES, "A language (optional)")
    preferred_gender = forms.ChoiceField(
        choices=GENDERS, required=False, label="Gender of the supporter (optional)"
    )
    exclude_my_year = forms.BooleanField(required=False, label="Not someone in my year")
    year_group = forms.CharField(
        required=False,
        max_length=40,
        label="My year",
        help_text='For example "Year 3" or "FY1". Used only to leave people out.',
    )
    exclude_my_placement = forms.BooleanField(
        required=False, label="Not someone in my placement group"
    )
    placement_group = forms.CharField(
        required=False,
        max_length=40,
        label="My placement group",
        help_text='For example "Ward 7B".',
    )
    excluded_people = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Not these people",
        help_text="People you have talked with on Kindred.",
    )
    share_topics = forms.BooleanField(
        required=False, label="Let the supporter see the topics I picked"
    )
    share_message = forms.BooleanField(
        required=False, label="Let the supporter read what I wrote above"
    )

    def __init__(self, *args, people_met, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_people"].queryset = people_met
        self.fields["excluded_people"].label_from_instance = lambda user: user.display_name
        if not people_met.exists():
            del self.fields["excluded_people"]


class MessageForm(KindredForm):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_LIMIT}),
        error_messages={"required": "Write something before sending."},
    )
    client_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)


YES_NO = [("", "Rather not say"), ("yes", "Yes"), ("no", "No")]


class FeedbackForm(KindredForm):
    helpful = forms.ChoiceField(
        choices=YES_NO, required=False, widget=forms.RadioSelect, label="Was it helpful?"
    )
    felt_safe = forms.ChoiceField(
        choices=YES_NO, required=False, widget=forms.RadioSelect, label="Did you feel safe?"
    )
    would_use_again = forms.ChoiceField(
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        label="Would you use peer support again?",
    )

    def answers(self) -> dict:
        return {
            name: {"yes": True, "no": False}.get(self.cleaned_data.get(name) or "")
            for name in ("helpful", "felt_safe", "would_use_again")
        }


class SessionLogForm(forms.ModelForm):
    topics = _checkboxes(TOPICS, "Topics")

    class Meta:
        model = SessionLog
        fields = ["date", "duration_minutes", "topics", "risk_came_up", "referral_made", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "duration_minutes": "Length (minutes)",
            "risk_came_up": "Risk came up",
            "referral_made": "I suggested a service",
            "note": "Note (only if needed)",
        }
        help_texts = {
            "note": "Keep it minimal. Avoid details about the member. Encrypted; only you see it.",
        }


class SupportSettingsForm(forms.ModelForm):
    class Meta:
        model = SupportSettings
        fields = ["offer_hours_today", "offer_hours_later", "retention_days"]
        help_texts = {
            "offer_hours_today": "Between 1 and 24. Then the offer goes to the next supporter.",
            "offer_hours_later": "Between 1 and 168 (a week).",
            "retention_days": "Between 7 and 730. Members are told this on each conversation.",
        }
