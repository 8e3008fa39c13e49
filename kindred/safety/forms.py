from django import forms

from kindred.accounts.forms import KindredForm
from kindred.safety.models import DutyShift, Escalation, EscalationAction
from kindred.safety.services import NOTE_LIMIT, PLAN_LIMIT


class EscalateForm(KindredForm):
    messages = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Attach messages (optional)",
        help_text="The advisor sees only what you tick here, and why Kindred flagged risk.",
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything the advisor should know (optional)",
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["messages"].choices = list(choices)


class ActionForm(KindredForm):
    kind = forms.ChoiceField(choices=EscalationAction.Kind.choices, label="What you did")
    note = forms.CharField(
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note (optional)",
        help_text="The member can read this in their data.",
    )


class CloseForm(KindredForm):
    outcome = forms.ChoiceField(
        choices=Escalation.Outcome.choices, widget=forms.RadioSelect, label="Outcome"
    )


class DutyShiftForm(KindredForm):
    advisor = forms.ModelChoiceField(queryset=None, empty_label="Choose an advisor")
    weekdays = forms.TypedMultipleChoiceField(
        choices=DutyShift.Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Days",
    )
    starts = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="From")
    ends = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}),
        label="Until",
        help_text="An end before the start runs past midnight; 00:00 to 00:00 is the whole day.",
    )
    order = forms.IntegerField(
        min_value=1,
        max_value=9,
        initial=1,
        label="Paging order",
        help_text="When two advisors are on duty, 1 is paged first.",
    )

    def __init__(self, *args, advisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors


def _section(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=PLAN_LIMIT,
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SafetyPlanForm(KindredForm):
    warning_signs = _section(
        "Signs that a hard time is starting",
        "Thoughts, feelings or situations you notice first. For example: not sleeping, "
        "avoiding people, after a bad shift.",
    )
    coping_strategies = _section(
        "Things I can do on my own to feel a little better",
        "For example: a walk, a shower, music, a breathing exercise, writing it down.",
    )
    people_and_places = _section(
        "People and places that help",
        "Who you can be with or talk to, and places where you feel calmer. Add numbers if "
        "you like.",
    )
    professionals = _section(
        "Professionals and services I can contact",
        "Your GP, a counselling service, a crisis line. The crisis panel always lists lines "
        "for your country.",
    )
    safe_environment = _section(
        "Making where I am safer",
        "For example: giving medicines to someone to look after, not being alone tonight.",
    )
    reasons_to_live = _section(
        "What matters to me",
        "People, pets, plans, anything worth holding on to.",
    )
