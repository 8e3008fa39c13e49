import datetime
from zoneinfo import ZoneInfo

from django import forms

from kindred.accounts.forms import KindredForm
from kindred.events import schedule
from kindred.events.models import EVENT_TOPICS, PROPOSAL_LIMIT, Audience, Format, Kind
from kindred.events.services import EVENT_FIELDS, FEEDBACK_LIMIT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES_NO = [("yes", "Yes"), ("no", "No")]


class _EventFields(KindredForm):
    """What an event and a series share."""

    title = forms.CharField(max_length=160, help_text='e.g. "Sleep and shift work"')
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.RadioSelect, label="Kind of event")
    description = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happens and who it is for. Markdown: **bold**, - lists, [words](link).",
    )
    topics = forms.MultipleChoiceField(
        choices=EVENT_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics (optional)",
        help_text="Members can filter the list of events by topic.",
    )
    audience = forms.ChoiceField(
        choices=Audience.choices, widget=forms.RadioSelect, label="Who can come"
    )
    format = forms.ChoiceField(choices=Format.choices, widget=forms.RadioSelect, label="Format")
    location = forms.CharField(
        max_length=200, required=False, label="Room and building", help_text="For in person."
    )
    video_link = forms.URLField(
        max_length=300,
        required=False,
        assume_scheme="https",
        label="Video link",
        help_text="For online events. Only people going see it.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10000,
        required=False,
        label="Places (optional)",
        help_text="Empty for no limit. When it is full, people join a waiting list.",
    )
    co_hosts = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Co-hosted with (optional)",
        help_text="Partner organisations. Their members see the event and their coordinators "
        "can moderate its Q&A.",
    )
    qa_enabled = forms.BooleanField(
        required=False,
        initial=True,
        label="Open the anonymous Q&A",
        help_text="Turn it off when no moderator will be there.",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_hosts"].queryset = partners
        if not partners.exists():
            del self.fields["co_hosts"]

    def event_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in EVENT_FIELDS}
        fields["topics"] = list(fields["topics"] or [])
        fields["description"] = fields["description"] or ""
        fields["co_hosts"] = list(data.get("co_hosts") or [])
        return fields


class EventForm(_EventFields):
    starts_on = forms.DateField(widget=DATE, label="Date")
    start_time = forms.TimeField(widget=TIME, label="Starts at")
    end_time = forms.TimeField(widget=TIME, label="Ends at")

    field_order = ["title", "kind", "starts_on", "start_time", "end_time"]

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The event must end after it starts (on the same day).")
        return data

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["starts_on"]
        return (
            schedule.at(day, self.cleaned_data["start_time"], self.zone),
            schedule.at(day, self.cleaned_data["end_time"], self.zone),
        )


class SeriesForm(_EventFields):
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(schedule.WEEKDAYS)), coerce=int, label="Day of the week"
    )
    start_time = forms.TimeField(widget=TIME, label="Starts at")
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=600, initial=60, label="Minutes each event lasts"
    )
    interval_weeks = forms.IntegerField(
        min_value=1, max_value=8, initial=2, label="Every how many weeks"
    )
    starts_on = forms.DateField(
        widget=DATE,
        label="Starting from",
        help_text="The first event is on the chosen day of the week, on or after this date.",
    )
    event_count = forms.IntegerField(
        min_value=1,
        max_value=schedule.MAX_SERIES_EVENTS,
        required=False,
        label="Number of events",
        help_text="Give this or a last date.",
    )
    until = forms.DateField(widget=DATE, required=False, label="Last date (optional)")
    skip_exam_weeks = forms.BooleanField(
        required=False,
        initial=True,
        label="Skip exam weeks",
        help_text="Weeks with exams in the academic calendar (under Office hours) are left out.",
    )

    field_order = [
        "title",
        "kind",
        "weekday",
        "start_time",
        "duration_minutes",
        "interval_weeks",
        "starts_on",
        "event_count",
        "until",
        "skip_exam_weeks",
    ]

    def clean(self):
        data = super().clean()
        if (
            not self.has_error("event_count")
            and not self.has_error("until")
            and data.get("event_count") is None
            and data.get("until") is None
        ):
            self.add_error("event_count", "Give a number of events or a last date.")
        return data

    def series_fields(self) -> dict:
        fields = self.event_fields()
        for name in (
            "weekday",
            "start_time",
            "duration_minutes",
            "interval_weeks",
            "starts_on",
            "event_count",
            "until",
            "skip_exam_weeks",
        ):
            fields[name] = self.cleaned_data.get(name)
        return fields


class SpeakerForm(KindredForm):
    name = forms.CharField(max_length=120)
    role = forms.CharField(
        max_length=160, required=False, help_text='e.g. "FY1 doctor" or "Clinical psychologist"'
    )
    bio = forms.CharField(
        max_length=1000,
        required=False,
        label="Short bio (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
    lived_experience = forms.BooleanField(
        required=False,
        label="Speaks from lived experience of mental illness",
        help_text="Only with the speaker's agreement. Members see it beside their name.",
    )
    photo = forms.FileField(
        required=False,
        label="Photo (optional)",
        help_text="JPEG, PNG or WebP, up to 500 KB. Only with the speaker's agreement. Members "
        "who can see the event see it.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    email = forms.EmailField(
        required=False,
        label="Their Kindred email (optional)",
        help_text="If it belongs to a member of your organisation or a co-host, they are asked to "
        "accept being linked; then they can moderate the Q&A.",
    )


class ProposalForm(KindredForm):
    text = forms.CharField(
        label="Propose a topic",
        max_length=PROPOSAL_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": PROPOSAL_LIMIT}),
        help_text="Other members see it without your name.",
    )
    organisation = forms.ModelChoiceField(queryset=None, label="For", empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() < 2:
            self.fields["organisation"].widget = forms.HiddenInput()
            first = organisations.first()
            if first is not None:
                self.fields["organisation"].initial = first.pk


class CheckInForm(KindredForm):
    code = forms.CharField(
        max_length=12,
        label="Check-in code",
        help_text="Shown in the room by the organisers.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def _yes_no(label):
    return forms.ChoiceField(choices=YES_NO, required=False, widget=forms.RadioSelect, label=label)


class FeedbackForm(KindredForm):
    was_useful = _yes_no("Was the event useful to you?")
    would_recommend = _yes_no("Would you recommend events like it to a friend?")
    text = forms.CharField(
        label="Anything else the organisers should know? (optional)",
        required=False,
        max_length=FEEDBACK_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": FEEDBACK_LIMIT}),
        help_text="Not linked to you. Organisers see answers only once at least five people "
        "have answered.",
    )

    def answers(self) -> dict:
        data = {
            name: {"yes": True, "no": False}.get(self.cleaned_data.get(name) or "")
            for name in ("was_useful", "would_recommend")
        }
        data["text"] = self.cleaned_data.get("text", "")
        return data
