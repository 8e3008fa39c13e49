from django import forms

from kindred.accounts.forms import KindredForm
from kindred.groups import schedule
from kindred.groups.models import (
    DEFAULT_AGREEMENT,
    TOPIC_LIMIT,
    Attendance,
    Format,
    Material,
    Programme,
)
from kindred.groups.services import FEEDBACK_LIMIT, HOPES_LIMIT, REFLECTION_LIMIT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label, limit, *, rows=3, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        help_text=help_text,
    )


class ProgrammeForm(KindredForm):
    title = forms.CharField(max_length=120, help_text='e.g. "Foundation doctors\' peer group"')
    kind = forms.ChoiceField(
        choices=Programme.Kind.choices, widget=forms.RadioSelect, label="What kind of programme"
    )
    audience = forms.CharField(
        max_length=160, label="Who it is for", help_text='e.g. "Foundation doctors (FY1 and FY2)"'
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happens and what to expect. Markdown: **bold**, - lists, [words](link).",
    )
    joining = forms.ChoiceField(
        choices=Programme.Joining.choices, widget=forms.RadioSelect, label="How members join"
    )
    co_hosts = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Co-hosted with (optional)",
        help_text="Partner organisations. Their members can join and their facilitators can run "
        "the groups.",
    )
    agreement = forms.CharField(
        label="Group agreement",
        widget=forms.Textarea(attrs={"rows": 14}),
        initial=DEFAULT_AGREEMENT,
        help_text="Every participant agrees to it before their first session. Changing it asks "
        "everyone in a group to agree again.",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_hosts"].queryset = partners
        if not partners.exists():
            del self.fields["co_hosts"]


class CohortForm(KindredForm):
    name = forms.CharField(max_length=80, help_text='e.g. "Spring 2026" or "Tuesday evenings"')
    starts_on = forms.DateField(
        widget=DATE,
        label="Starting from",
        help_text="The first session is on the chosen day of the week, on or after this date.",
    )
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(schedule.WEEKDAYS)), coerce=int, label="Day of the week"
    )
    start_time = forms.TimeField(widget=TIME, label="Time")
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=480, initial=90, label="Minutes each session lasts"
    )
    session_count = forms.IntegerField(
        min_value=1, max_value=52, initial=10, label="Number of weekly sessions"
    )
    format = forms.ChoiceField(
        choices=Format.choices, widget=forms.RadioSelect, initial=Format.VIDEO, label="Format"
    )
    location = forms.CharField(
        max_length=160, required=False, label="Room and building", help_text="For in person."
    )
    video_link = forms.URLField(
        max_length=300,
        required=False,
        assume_scheme="https",
        label="Video link",
        help_text="For video calls. Only people with a place see it.",
    )
    capacity = forms.IntegerField(
        min_value=2,
        max_value=30,
        initial=8,
        label="Places",
        help_text="Unstructured groups work best with 8 to 10 people.",
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with a current facilitator role. The group can open once it has one.",
    )
    accredited = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Accredited facilitators",
        help_text="Tick those with an accreditation (for example from a professional body). "
        "Members see it beside their name.",
    )

    def __init__(self, *args, facilitator_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_choices
        self.fields["accredited"].queryset = facilitator_choices
        for name in ("facilitators", "accredited"):
            self.fields[name].label_from_instance = lambda user: user.display_name

    def cohort_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("facilitators", None)
        data.pop("accredited", None)
        data["location"] = data.get("location", "").strip()
        return data


class JoinForm(KindredForm):
    hopes = _text(
        "What do you hope for from the group? (optional)",
        HOPES_LIMIT,
        help_text="Only the group's facilitators read it. Encrypted.",
    )
    access_needs = _text(
        "Anything that would make it easier for you to take part? (optional)",
        HOPES_LIMIT,
        help_text="For example captions, a step-free room, or needing to leave early. Only the "
        "facilitators read it.",
    )
    agree = forms.BooleanField(required=False, label="I have read the group agreement and agree")

    def __init__(self, *args, applying: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not applying:
            del self.fields["hopes"]


class AgreementForm(KindredForm):
    agree = forms.BooleanField(required=False, label="I have read the group agreement and agree")


class TopicForm(KindredForm):
    text = forms.CharField(
        label="Suggest a topic",
        max_length=TOPIC_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": TOPIC_LIMIT}),
        help_text="The group sees it without your name.",
    )


class MaterialForm(KindredForm):
    kind = forms.ChoiceField(choices=Material.Kind.choices, widget=forms.RadioSelect, label="Kind")
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        required=False,
        label="Text (optional)",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, - lists, [words](https://link).",
    )
    link = forms.URLField(
        required=False, max_length=300, assume_scheme="https", label="Link (optional)"
    )


def _yes_no(label):
    return forms.ChoiceField(choices=YES_NO, required=False, widget=forms.RadioSelect, label=label)


class FeedbackForm(KindredForm):
    felt_heard = _yes_no("Did you feel heard?")
    felt_safe = _yes_no("Did you feel safe?")
    would_recommend = _yes_no("Would you recommend the group to a friend?")
    text = _text(
        "Anything else you would like the facilitators to know? (optional)",
        FEEDBACK_LIMIT,
        help_text="Not linked to you. Facilitators see comments only once at least five people "
        "have answered.",
    )

    def answers(self) -> dict:
        data = {
            name: {"yes": True, "no": False}.get(self.cleaned_data.get(name) or "")
            for name in ("felt_heard", "felt_safe", "would_recommend")
        }
        data["text"] = self.cleaned_data.get("text", "")
        return data


class ReflectionForm(KindredForm):
    went_well = _text("What went well?", REFLECTION_LIMIT, rows=4)
    was_hard = _text("What was hard?", REFLECTION_LIMIT, rows=4)
    to_discuss = _text("Anything to discuss with an advisor?", REFLECTION_LIMIT, rows=4)
    ask_advisor = forms.BooleanField(
        required=False,
        label="Ask an advisor to get in touch",
        help_text="An advisor of the group's organisation is told that you asked.",
    )
    share_with_advisor = forms.BooleanField(
        required=False,
        label="Show the advisor what I wrote under “Anything to discuss”",
        help_text="Otherwise they see only that you asked. The rest of your reflection stays "
        "private.",
    )


class AttendanceForm(KindredForm):
    """One radio group per person in the group."""

    CHOICES = [("", "Not recorded"), *Attendance.Mark.choices]

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for place, mark in sheet:
            name = f"p{place.pk}"
            self.fields[name] = forms.ChoiceField(
                choices=self.CHOICES,
                required=False,
                initial=mark,
                widget=forms.RadioSelect,
                label=place.user.display_name,
            )
            self.rows.append((place, name))

    def marks(self) -> dict[int, str]:
        return {place.pk: self.cleaned_data.get(name, "") for place, name in self.rows}


class GuidePageForm(KindredForm):
    title = forms.CharField(max_length=120)
    summary = forms.CharField(
        max_length=240, required=False, help_text="One line shown in the list of pages."
    )
    body = forms.CharField(
        label="Page text",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown: # for headings, - for lists, **bold**, [words](https://link). "
        "HTML is not allowed.",
    )
    note = forms.CharField(
        label="What changed", max_length=200, required=False, help_text="Shown in the history."
    )


class EscalationForm(KindredForm):
    NOBODY_NAMED = "unnamed"

    participant = forms.ChoiceField(
        label="Who are you worried about?",
        widget=forms.RadioSelect,
        help_text="They will be told that you asked an advisor to help keep them safe.",
    )
    note = forms.CharField(
        label="What worries you",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was said or happened, and what you have done so far. Encrypted; the "
        "advisor on duty reads it.",
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [
            *((str(p.pk), p.user.display_name) for p in people),
            (self.NOBODY_NAMED, "Someone in the group; I would rather not name them here"),
        ]

    def participation_id(self) -> int | None:
        chosen = self.cleaned_data["participant"]
        return None if chosen == self.NOBODY_NAMED else int(chosen)
