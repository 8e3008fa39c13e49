from django import forms

from kindred.accounts.forms import KindredForm
from kindred.officehours import schedule
from kindred.officehours.models import NOTE_LIMIT, AvailabilityRule, Format, Milestone
from kindred.officehours.services import REASON_LIMIT
from kindred.support.vocabulary import TOPICS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AvailabilityRuleForm(KindredForm):
    repeats = forms.ChoiceField(
        choices=AvailabilityRule.Repeats.choices,
        widget=forms.RadioSelect,
        initial=AvailabilityRule.Repeats.WEEKLY,
        label="How often",
    )
    weekday = forms.TypedChoiceField(
        choices=[("", "Choose a day")] + list(enumerate(schedule.WEEKDAYS)),
        coerce=int,
        empty_value=None,
        required=False,
        label="Day of the week",
        help_text="For weekly times.",
    )
    date = forms.DateField(
        required=False, widget=DATE, label="Date", help_text="For an extra, one-off session."
    )
    start_time = forms.TimeField(widget=TIME, label="From")
    end_time = forms.TimeField(widget=TIME, label="Until")
    walk_in = forms.TypedChoiceField(
        choices=[
            ("no", "Members book a slot ahead"),
            ("yes", "Walk-in only: members join a queue on the day"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        label="How members come",
    )
    slot_minutes = forms.IntegerField(
        min_value=10,
        max_value=240,
        initial=30,
        label="Minutes for each person",
        help_text="The length of each bookable slot; for walk-in, roughly how long you spend with "
        "each person (it sets the waiting estimate).",
    )
    format = forms.ChoiceField(
        choices=Format.choices, widget=forms.RadioSelect, initial=Format.VIDEO, label="Format"
    )
    location = forms.CharField(
        max_length=160,
        required=False,
        label="Room and building",
        help_text="For in-person sessions.",
    )
    video_link = forms.URLField(
        max_length=300,
        required=False,
        label="Video link",
        help_text="For video calls. Members see it only once they have booked or been called.",
        assume_scheme="https",
    )
    phone_number = forms.CharField(
        max_length=40,
        required=False,
        label="Number to ring",
        help_text="For phone calls: a programme line, not your own number.",
    )
    starts_on = forms.DateField(
        required=False, widget=DATE, label="Starting on (optional)", help_text="Weekly times only."
    )
    ends_on = forms.DateField(
        required=False, widget=DATE, label="Last week on (optional)", help_text="Weekly times only."
    )

    @classmethod
    def initial_for(cls, rule: AvailabilityRule) -> dict:
        return {
            "repeats": rule.repeats,
            "weekday": rule.weekday,
            "date": rule.date,
            "start_time": rule.start_time,
            "end_time": rule.end_time,
            "walk_in": "yes" if rule.walk_in else "no",
            "slot_minutes": rule.slot_minutes,
            "format": rule.format,
            "location": rule.location,
            "video_link": rule.video_link,
            "phone_number": rule.phone_number,
            "starts_on": rule.starts_on,
            "ends_on": rule.ends_on,
        }

    def clean(self):
        data = super().clean()
        if data.get("repeats") == AvailabilityRule.Repeats.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", "Choose a day of the week.")
        if data.get("repeats") == AvailabilityRule.Repeats.ONCE and not data.get("date"):
            self.add_error("date", "Choose the date of this extra session.")
        return data


class TimeOffForm(KindredForm):
    first_day = forms.DateField(widget=DATE, label="First day")
    last_day = forms.DateField(
        required=False, widget=DATE, label="Last day", help_text="Leave empty for one day."
    )
    start_time = forms.TimeField(
        required=False, widget=TIME, label="From (optional)", help_text="Empty for whole days."
    )
    end_time = forms.TimeField(required=False, widget=TIME, label="Until (optional)")
    label = forms.CharField(
        max_length=80,
        required=False,
        label="Note to yourself (optional)",
        help_text="E.g. holiday.",
    )


class BookingForm(KindredForm):
    note = forms.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
        label="A short note for the supporter (optional)",
        help_text="Only the supporter sees it. It is stored encrypted and never emailed or put "
        "in calendar files.",
    )


class CancelForm(KindredForm):
    reason = forms.CharField(
        max_length=REASON_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_LIMIT}),
        label="A reason (optional)",
        help_text="The other person sees it on the booking page, not in an email.",
    )


FORMAT_FILTER = [("", "Any format"), *Format.choices]
TOPIC_FILTER = [("", "Any topic"), *TOPICS]
SPANS = [("week", "7 days from then"), ("day", "That day only")]


class SlotFilterForm(forms.Form):
    date = forms.DateField(required=False, widget=DATE, label="From")
    span = forms.ChoiceField(choices=SPANS, required=False, label="Show")
    format = forms.ChoiceField(choices=FORMAT_FILTER, required=False, label="Format")
    topic = forms.ChoiceField(choices=TOPIC_FILTER, required=False, label="Topic")


class MilestoneForm(KindredForm):
    kind = forms.ChoiceField(choices=Milestone.Kind.choices, label="What")
    title = forms.CharField(max_length=120, label="Name", help_text="E.g. Year 3 finals.")
    first_day = forms.DateField(widget=DATE, label="First day")
    last_day = forms.DateField(
        required=False, widget=DATE, label="Last day", help_text="Leave empty for one day."
    )
