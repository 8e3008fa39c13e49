"""Coordinators create events and series, move and cancel them; people who answered are told
and calendar files keep the UID with a higher SEQUENCE."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kindred.core.errors import DomainError
from kindred.core.models import AuditEntry
from kindred.events import services
from kindred.events.models import Event
from kindred.notifications.models import Notification
from kindred.officehours.models import Milestone
from tests.conftest import sign_in
from tests.events.builders import TINY_PNG, event_fields, make_event

LONDON = ZoneInfo("Europe/London")


def _form(**changes) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Sleep and shift work",
        "kind": "talk",
        "starts_on": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
        "description": "",
        "audience": "organisation",
        "format": "in_person",
        "location": "Lecture theatre 1",
        "capacity": "40",
        "qa_enabled": "on",
    }
    data.update(changes)
    return data


def test_a_coordinator_creates_an_event_in_the_organisations_time_zone(client, world):
    sign_in(client, world.cora)
    response = client.post(reverse("new_event", args=[world.school.slug]), _form())
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at.astimezone(LONDON).time() == datetime.time(18, 0)
    assert event.capacity == 40 and event.check_in_code


def test_an_event_ending_before_it_starts_is_refused_and_what_was_typed_is_kept(client, world):
    sign_in(client, world.cora)
    response = client.post(
        reverse("new_event", args=[world.school.slug]),
        _form(title="My careful title", end_time="17:00"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "must end after it starts" in body
    assert 'value="My careful title"' in body
    assert not Event.objects.exists()


def test_an_in_person_event_needs_a_place(client, world):
    sign_in(client, world.cora)
    response = client.post(reverse("new_event", args=[world.school.slug]), _form(location=""))
    assert response.status_code == 400
    assert "Say where people should come" in response.content.decode()


def test_a_member_cannot_create_events(world):
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.create_event(
            coordinator=world.alice,
            organisation=world.school,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            **event_fields(),
        )


def test_moving_an_event_tells_everyone_who_answered_and_raises_the_sequence(world, event):
    services.rsvp(member=world.alice, event=event, going=True)
    services.rsvp(member=world.bob, event=event, going=False)
    uid = event.uid
    later = event.starts_at + datetime.timedelta(days=1)
    result = services.update_event(
        coordinator=world.cora,
        event=event,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
        **{k: getattr(event, k) for k in services.EVENT_FIELDS},
    )
    event.refresh_from_db()
    assert result.moved and result.told == 2
    assert event.uid == uid and event.sequence == 1
    assert Notification.objects.filter(user=world.alice, text__contains="has moved").exists()
    assert Notification.objects.filter(user=world.bob, text__contains="has moved").exists()


def test_saving_without_changes_keeps_the_sequence(world, event):
    result = services.update_event(
        coordinator=world.cora,
        event=event,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        **{k: getattr(event, k) for k in services.EVENT_FIELDS},
    )
    event.refresh_from_db()
    assert not result.changed and event.sequence == 0


def test_cancelling_tells_everyone_who_answered_and_marks_the_calendar_file(client, world, event):
    services.rsvp(member=world.alice, event=event, going=True)
    sign_in(client, world.cora)
    client.post(reverse("cancel_event", args=[world.school.slug, event.pk]))
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    assert Notification.objects.filter(user=world.alice, text__contains="is cancelled").exists()
    sign_in(client, world.alice)
    ics = client.get(reverse("event_calendar_file", args=[event.pk])).content.decode()
    assert f"UID:event-{event.uid}.kindred" in ics
    assert "SEQUENCE:1" in ics and "STATUS:CANCELLED" in ics


def test_cancelling_twice_is_refused_with_a_clear_message(world, event):
    services.cancel_event(coordinator=world.cora, event=event)
    with pytest.raises(DomainError, match="already cancelled"):
        services.cancel_event(coordinator=world.cora, event=event)


def test_another_organisations_coordinator_gets_404_for_our_event(client, world, event):
    sign_in(client, world.oscar)
    response = client.get(reverse("run_event", args=[world.other_school.slug, event.pk]))
    assert response.status_code == 404


def _series(world, **changes):
    values = {
        **event_fields(title="Fortnightly talks"),
        "weekday": 2,
        "start_time": datetime.time(18, 0),
        "duration_minutes": 60,
        "interval_weeks": 2,
        "starts_on": timezone.localdate() + datetime.timedelta(days=1),
        "event_count": 4,
        **changes,
    }
    return services.create_series(coordinator=world.cora, organisation=world.school, **values)


def test_a_series_creates_its_events_every_other_week_at_the_same_local_time(world):
    series = _series(world)
    starts = [e.starts_at.astimezone(LONDON) for e in series.events.order_by("starts_at")]
    assert len(starts) == 4
    assert all(s.weekday() == 2 and s.time() == datetime.time(18, 0) for s in starts)
    assert all((b.date() - a.date()).days == 14 for a, b in zip(starts, starts[1:], strict=False))


def test_a_series_skips_weeks_with_exams_in_the_academic_calendar(world):
    first = datetime.date.fromordinal(timezone.localdate().toordinal() + 1)
    first_wed = first + datetime.timedelta(days=(2 - first.weekday()) % 7)
    exam_day = first_wed + datetime.timedelta(days=14)
    Milestone.objects.create(
        organisation=world.school, title="Finals", first_day=exam_day, last_day=exam_day
    )
    series = _series(world, starts_on=first)
    days = [e.starts_at.astimezone(LONDON).date() for e in series.events.order_by("starts_at")]
    assert exam_day not in days
    assert len(days) == 4
    assert series.schedule.skipped == [exam_day.isoformat()]


def test_a_series_with_neither_a_count_nor_an_end_is_refused_by_the_form(client, world):
    sign_in(client, world.cora)
    response = client.post(
        reverse("new_series", args=[world.school.slug]),
        {
            "title": "Talks",
            "kind": "talk",
            "weekday": "2",
            "start_time": "18:00",
            "duration_minutes": "60",
            "interval_weeks": "2",
            "starts_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "audience": "organisation",
            "format": "in_person",
            "location": "Room 1",
        },
    )
    assert response.status_code == 400
    assert "Give a number of events or a last date" in response.content.decode()
    assert 'value="Talks"' in response.content.decode()


def test_a_series_form_creates_the_series(client, world):
    sign_in(client, world.cora)
    response = client.post(
        reverse("new_series", args=[world.school.slug]),
        {
            "title": "Talks",
            "kind": "talk",
            "weekday": "2",
            "start_time": "18:00",
            "duration_minutes": "60",
            "interval_weeks": "2",
            "starts_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "event_count": "3",
            "audience": "organisation",
            "format": "in_person",
            "location": "Room 1",
            "skip_exam_weeks": "on",
        },
    )
    assert response.status_code == 302
    assert Event.objects.filter(series__title="Talks").count() == 3


def test_a_speaker_invited_by_email_is_told_accepts_and_can_then_moderate(client, world, event):
    from kindred.events import selectors

    speaker = services.add_speaker(
        coordinator=world.cora,
        event=event,
        name="Dr Fay",
        role="FY1 doctor",
        lived_experience=True,
        email="FAY@example.org",
    )
    assert speaker.user is None and speaker.invited == world.fay
    assert not selectors.can_moderate(world.fay, event)  # not before she accepts
    assert AuditEntry.objects.filter(actor=world.cora, subject=world.fay).exists()
    assert Notification.objects.filter(user=world.fay, text__contains="invited to speak").exists()

    accept = reverse("accept_speaker_invitation", args=[speaker.pk])
    assert sign_in(client, world.alice).post(accept).status_code == 404  # not hers to accept
    client.logout()
    sign_in(client, world.fay)
    assert accept in client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert client.post(accept).status_code == 302
    speaker.refresh_from_db()
    assert speaker.user == world.fay and speaker.invited is None
    assert selectors.can_moderate(world.fay, event)


def test_an_email_nobody_uses_looks_the_same_to_the_coordinator(client, world, event):
    sign_in(client, world.cora)
    url = reverse("event_speakers", args=[world.school.slug, event.pk])
    answers = []
    for name, email in (("Olga", "olga@example.org"), ("Fay", "fay@example.org")):
        response = client.post(url, {"name": name, "email": email}, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        answers.append(
            ("they are asked to accept being linked" in page, "once they accept" in page)
        )
    assert answers[0] == answers[1] == (True, True)  # Olga (Northgate) and Fay alike
    assert not Notification.objects.filter(user=world.olga).exists()
    assert Notification.objects.filter(user=world.fay, text__contains="invited").exists()


def test_speakers_and_the_lived_experience_mark_show_on_the_event_page(client, world, event):
    services.add_speaker(
        coordinator=world.cora, event=event, name="Dr Priya Raman", lived_experience=True
    )
    sign_in(client, world.alice)
    body = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "Dr Priya Raman" in body and "Lived experience" in body


def test_partners_see_an_event_for_partners_and_others_do_not(world):
    from kindred.accounts.models import Partnership
    from kindred.events.selectors import upcoming_for

    Partnership.objects.create(from_organisation=world.school, to_organisation=world.other_school)
    own = make_event(world, title="Just us")
    shared = make_event(world, title="With partners", audience="partners")
    seen = {e.pk for e in upcoming_for(world.olga)}
    assert shared.pk in seen and own.pk not in seen


PNG = TINY_PNG


def test_a_speaker_photo_is_uploaded_shown_and_served_only_to_people_who_see_the_event(
    client, world, event
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, world.cora)
    response = client.post(
        reverse("event_speakers", args=[world.school.slug, event.pk]),
        {"name": "Dr Priya Raman", "photo": SimpleUploadedFile("priya.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    speaker = event.speakers.get()
    assert speaker.photo_type == "image/png"
    photo_url = reverse("speaker_photo", args=[speaker.pk])

    client.logout()
    sign_in(client, world.alice)
    assert photo_url in client.get(reverse("event_detail", args=[event.pk])).content.decode()
    served = client.get(photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served.content == PNG
    client.logout()
    assert sign_in(client, world.olga).get(photo_url).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"<svg onload=alert(1)>", "must be a JPEG, PNG or WebP image"),
        (b"\xff\xd8\xff" + b"\x00" * (500 * 1024), "choose one up to 500 KB"),
    ],
)
def test_a_photo_that_is_not_a_small_image_is_refused_and_the_rest_kept(
    client, world, event, upload, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = sign_in(client, world.cora).post(
        reverse("event_speakers", args=[world.school.slug, event.pk]),
        {"name": "Dr Priya Raman", "photo": SimpleUploadedFile("x.png", upload, "image/png")},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Dr Priya Raman"' in response.content.decode()
    assert not event.speakers.exists()


def test_the_image_type_comes_from_the_bytes():
    from kindred.events.photos import image_type

    assert image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_type(PNG) == "image/png"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b"GIF89a") is None
    assert image_type(b"") is None
