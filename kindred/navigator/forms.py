"""Input: the service editor (also used to validate every imported row), the finder, the
directory filters, the guide editor and the import form."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass, field

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from kindred.accounts.forms import KindredForm
from kindred.accounts.models import COUNTRIES
from kindred.navigator import finder, hours
from kindred.navigator.models import (
    COUNTRY_TIME_ZONES,
    AccessRoute,
    Audience,
    Cost,
    Format,
    Helpers,
    Topic,
    Wait,
    WhoFindsOut,
)

YES_NO = [("yes", "Yes"), ("no", "No")]
_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _choice_list(choices) -> str:
    return ", ".join(value for value, _ in choices)


def _multiple(choices, label, help_text="", required=True):
    return forms.MultipleChoiceField(
        choices=choices,
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the choices: "
            + _choice_list(choices)
            + ".",
            "required": "Choose at least one.",
        },
    )


def _choice(choices, label, help_text="", radio=False):
    return forms.ChoiceField(
        choices=choices,
        label=label,
        help_text=help_text,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the choices: "
            + _choice_list(choices)
            + "."
        },
    )


def validate_phone(value: str) -> str:
    value = value.strip()
    if not value:
        return value
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value):
        raise forms.ValidationError(
            "A phone number can hold only digits, spaces, brackets, dashes and a leading +. "
            "Remove any letters."
        )
    if not 3 <= digits <= 15:
        raise forms.ValidationError(
            f"A phone number has between 3 and 15 digits; this one has {digits}."
        )
    return value


class WebAddressField(forms.URLField):
    """A web address that must start with http:// or https://, with a reason when it is not."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": "Enter a full web address, starting with https:// (for example "
        "https://www.samaritans.org/)."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if value and " " in value:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ServiceForm(KindredForm):
    """A service as a coordinator writes it; every imported row passes through it too."""

    name = forms.CharField(max_length=160)
    run_by = forms.CharField(
        label="Who runs it", max_length=160, help_text="For example: the medical school, a charity."
    )
    summary = forms.CharField(
        label="What it is for",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two plain sentences.",
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Optional."
    )
    topics = _multiple(Topic.choices, "What it helps with")
    audiences = _multiple(Audience.choices, "Who can use it")
    cost = _choice(Cost.choices, "Cost", radio=True)
    cost_note = forms.CharField(label="About the cost", max_length=200, required=False)
    access_routes = _multiple(AccessRoute.choices, "How to get it")
    wait = _choice(Wait.choices, "Typical wait")
    wait_note = forms.CharField(label="About the wait", max_length=200, required=False)
    opening_hours = forms.CharField(
        max_length=300,
        required=False,
        help_text="For example “Mon-Fri 09:00-17:00; Sat 10:00-13:00”, or “24/7”. "
        "Leave empty when there are no set hours.",
    )
    hours_note = forms.CharField(
        label="About the hours",
        max_length=200,
        required=False,
        help_text="For example “Closed on bank holidays”.",
    )
    formats = _multiple(Format.choices, "How you can talk to them")
    helpers = _choice(Helpers.choices, "Who you talk to", radio=True)
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        validators=[validate_phone],
        help_text="As people dial it, for example “0800 068 4141”.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    text_number = forms.CharField(
        label="Number to text",
        max_length=40,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    text_keyword = forms.CharField(
        label="Word to text",
        max_length=40,
        required=False,
        help_text="If they ask for one, for example SHOUT.",
    )
    website = WebAddressField(required=False)
    email = forms.EmailField(required=False)
    languages = forms.CharField(
        max_length=200, required=False, initial="English", help_text="Separate with commas."
    )
    tells_school = _choice(WhoFindsOut.choices, "Does your school find out?", radio=True)
    tells_regulator = _choice(
        WhoFindsOut.choices,
        "Is anything shared with the regulator (for example the GMC)?",
        radio=True,
    )
    confidentiality_limits = forms.CharField(
        label="When confidentiality is broken",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact limits: what is shared, with whom, and when.",
    )
    records_kept = forms.CharField(
        label="What records are kept, and for how long",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    independent_of_school = _choice(
        YES_NO, "Is it run by people independent of the school?", radio=True
    )
    source_url = WebAddressField(
        label="Source", help_text="The public page these facts were checked against."
    )
    last_reviewed = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When someone last checked these facts against the source.",
    )

    def clean_opening_hours(self):
        try:
            return hours.parse_hours(self.cleaned_data["opening_hours"])
        except hours.HoursError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_languages(self):
        value = self.cleaned_data["languages"]
        return [part.strip() for part in value.split(",") if part.strip()] or ["English"]

    def clean_independent_of_school(self):
        return self.cleaned_data["independent_of_school"] == "yes"

    def clean_last_reviewed(self):
        value = self.cleaned_data["last_reviewed"]
        if value > timezone.localdate():
            raise forms.ValidationError("The review date cannot be in the future.")
        return value

    def clean(self):
        data = super().clean()
        contact = ("phone", "text_number", "website", "email")
        if not any(data.get(name) or name in self.errors for name in contact):
            self.add_error("phone", "Give at least one way to contact them.")
        if data.get("text_keyword") and not data.get("text_number"):
            self.add_error("text_number", "Give the number to text the word to.")
        return data

    @classmethod
    def initial_for(cls, service) -> dict:
        """The editor's starting values for an existing service."""
        values = {name: getattr(service, name) for name in cls.base_fields if name != "key"}
        values["opening_hours"] = service.hours_text
        values["languages"] = ", ".join(service.languages)
        values["independent_of_school"] = "yes" if service.independent_of_school else "no"
        return values


class ServiceRecordForm(ServiceForm):
    """One row of an import file: the editor's fields, plus the row's key and, for national
    entries, the country, time zone and crisis-line flags."""

    key = forms.SlugField(max_length=80, required=False)
    country = _choice(COUNTRIES, "Country")
    time_zone = forms.CharField(max_length=60, required=False)
    is_crisis_line = forms.BooleanField(required=False)
    crisis_rank = forms.IntegerField(required=False, min_value=0, max_value=1000)

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value and value not in zoneinfo.available_timezones():
            raise forms.ValidationError(f"“{value}” is not a time zone, e.g. Europe/London.")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("time_zone") and data.get("country"):
            data["time_zone"] = COUNTRY_TIME_ZONES.get(data["country"], "Europe/London")
        if data.get("crisis_rank") is None:
            data["crisis_rank"] = 100
        if data.get("is_crisis_line") and not (data.get("phone") or data.get("text_number")):
            self.add_error("phone", "A crisis line needs a phone number or a number to text.")
        return data


_BOOLEAN_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
_LIST_FIELDS = ("topics", "audiences", "access_routes", "formats")


def record_to_form_data(record: dict) -> dict:
    """Turn one YAML entry or CSV row into form data: lists stay lists, "a; b" splits,
    yes/no words become what the form expects. Unknown columns are left out."""
    data: dict = {}
    for name, value in record.items():
        if value is None:
            continue
        if name in _LIST_FIELDS:
            if isinstance(value, str):
                value = [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
            elif not isinstance(value, list):
                value = [value]
            data[name] = [str(item) for item in value]
        elif name == "languages":
            data[name] = ", ".join(value) if isinstance(value, list) else str(value)
        elif name in {"independent_of_school", "is_crisis_line"}:
            word = str(value).strip().lower()
            flag = _BOOLEAN_WORDS.get(word)
            if flag is None:
                continue  # boolean_errors reports it: a checkbox would read any word as yes
            if name == "independent_of_school":
                data[name] = "yes" if flag else "no"
            else:
                data[name] = flag
        elif name in {"tells_school", "tells_regulator"} and isinstance(value, bool):
            data[name] = "yes" if value else "never"  # YAML reads a bare yes/no as true/false
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def boolean_errors(record: dict) -> list[tuple[str, str]]:
    """Yes/no columns that hold something else (a checkbox would read any word as yes)."""
    errors = []
    for name in ("independent_of_school", "is_crisis_line"):
        value = record.get(name)
        word = "" if value is None else str(value).strip().lower()
        if word and word not in _BOOLEAN_WORDS:
            errors.append((name, f"“{value}” is not yes or no."))
    return errors


class FinderForm(KindredForm):
    """The finder's three questions; every one may be skipped."""

    topics = forms.MultipleChoiceField(
        label="What is going on?",
        choices=[c for c in Topic.choices if c[0] != Topic.ANYTHING]
        + [(Topic.ANYTHING, "Something else, or I am not sure")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.ChoiceField(
        label="How soon do you want help?",
        choices=[
            ("now", "Now: I need help right now"),
            ("today", "Today"),
            ("week", "This week"),
            ("exploring", "I am just looking"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    school_must_not_know = forms.BooleanField(label="My school must not find out", required=False)
    free = forms.BooleanField(label="It must be free", required=False)
    outside_hours = forms.BooleanField(
        label="Outside working hours (evenings or weekends)", required=False
    )
    format = forms.ChoiceField(
        label="How would you like to talk?",
        choices=[
            ("either", "Either is fine"),
            ("in_person", "In person"),
            ("remote", "Phone, video, text or online"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    who = forms.ChoiceField(
        label="Who would you like to talk to?",
        choices=[
            ("either", "Either is fine"),
            ("peer", "A peer: another student or doctor"),
            ("professional", "A professional"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def answers(self) -> finder.Answers:
        data = self.cleaned_data
        return finder.Answers(
            topics=frozenset(data.get("topics") or []),
            urgency=data.get("urgency") or "exploring",
            school_must_not_know=bool(data.get("school_must_not_know")),
            free=bool(data.get("free")),
            outside_hours=bool(data.get("outside_hours")),
            format=data.get("format") or "either",
            who=data.get("who") or "either",
        )


@dataclass
class DirectoryFilters:
    """What the directory and the API filter by; unknown values are dropped with a notice."""

    query: str = ""
    topics: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    confidential: bool = False
    open_now: bool = False

    @property
    def active(self) -> bool:
        return bool(
            self.query
            or self.topics
            or self.costs
            or self.formats
            or self.confidential
            or self.open_now
        )


_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"", "0", "false", "no", "off"}


def read_directory_filters(params) -> tuple[DirectoryFilters, list[str]]:
    """Parse filters from a query string (QueryDict or dict of lists); never raises."""

    def values(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            raw = params.getlist(name)
        else:
            raw = params.get(name) or []
            raw = raw if isinstance(raw, list) else [raw]
        return [str(v).strip() for v in raw if v is not None and str(v).strip()]

    notices: list[str] = []

    def known(name: str, choices, label: str) -> list[str]:
        allowed = dict(choices)
        kept = []
        for value in values(name):
            if value in allowed:
                if value not in kept:
                    kept.append(value)
            else:
                notices.append(f"We ignored the {label} “{value[:40]}”: it is not one we know.")
        return kept

    def flag(name: str, label: str) -> bool:
        raw = values(name)
        if not raw:
            return False
        word = raw[0].lower()
        if word in _TRUE_WORDS:
            return True
        if word not in _FALSE_WORDS:
            notices.append(f"We ignored “{raw[0][:40]}” for {label}: use yes or no.")
        return False

    query = " ".join(values("q"))[:200]
    filters = DirectoryFilters(
        query=query,
        topics=known("topic", Topic.choices, "topic"),
        costs=known("cost", Cost.choices, "cost"),
        formats=known("format", Format.choices, "format"),
        confidential=flag("confidential", "“your school is not told”"),
        open_now=flag("open_now", "“open now”"),
    )
    return filters, notices


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
        label="What changed",
        max_length=200,
        required=False,
        help_text="Shown in the page's history.",
    )


class ImportForm(KindredForm):
    file = forms.FileField(
        label="Directory file (YAML or CSV)",
        help_text="Use a file exported from this page as a template. Up to 2 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".yaml", ".yml", ".csv")):
            raise forms.ValidationError("Choose a .yaml, .yml or .csv file.")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("That file is larger than 2 MB.")
        return upload
