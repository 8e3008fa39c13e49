"""Demo data and "Download my data"."""

import io
import json

from django.core.management import call_command
from django.urls import reverse

from kindred.accounts.models import User
from kindred.groups import services
from kindred.groups.export import export_personal_data
from kindred.groups.models import Cohort, Participation, Programme
from tests.conftest import sign_in
from tests.groups.builders import hold, join


def test_the_demo_has_two_open_groups_the_demo_member_can_join(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    programmes = {p.title: p for p in Programme.objects.all()}
    assert len(programmes) == 2
    foundation = programmes["Foundation doctors' peer group"]
    assert [o.slug for o in foundation.co_hosts.all()] == ["doctors-wellbeing-trust"]
    cohorts = Cohort.objects.filter(status=Cohort.Status.OPEN)
    assert cohorts.count() == 2
    assert {c.sessions.count() for c in cohorts} == {10}
    member = User.objects.get(email="member@example.org")
    for cohort in cohorts:
        place = services.join_cohort(member=member, cohort=cohort, agree=True).participation
        assert place.status == Participation.Status.JOINED


def test_my_data_holds_my_places_topics_and_attendance(world, cohort):
    place = join(world.alice, cohort, access_needs="Captions")
    join(world.bob, cohort)
    session = cohort.sessions.first()
    services.suggest_topic(participant=world.alice, session=session, text="Sleep")
    services.suggest_topic(participant=world.bob, session=session, text="Bob's topic")
    held = hold(cohort, 1)[0]
    services.record_attendance(facilitator=world.fay, session=held, marks={place.pk: "present"})
    data = export_personal_data(world.alice)
    mine = data["group_places_and_applications"][0]
    assert mine["status"] == "joined" and mine["my_access_needs"] == "Captions"
    assert mine["my_attendance"] == [{"session": 1, "mark": "present"}]
    assert [t["topic"] for t in data["topics_i_suggested"]] == ["Sleep"]
    assert "Bob's topic" not in json.dumps(data)


def test_a_facilitators_data_holds_their_reflections(world, cohort):
    session = hold(cohort, 1)[0]
    services.save_reflection(facilitator=world.fay, session=session, was_hard="Silence")
    data = export_personal_data(world.fay)
    assert data["my_facilitator_reflections"][0]["was_hard"] == "Silence"


def test_download_my_data_includes_groups(client, world, cohort):
    join(world.alice, cohort)
    sign_in(client, world.alice)
    body = client.get(reverse("download_my_data")).content.decode()
    assert '"groups"' in body and "Foundation doctors" in body


def test_deleting_an_account_erases_its_topic_words_for_the_group(world, cohort):
    from kindred.accounts.services import erase_account
    from kindred.groups.models import Topic

    join(world.alice, cohort)
    session = cohort.sessions.first()
    services.suggest_topic(participant=world.alice, session=session, text="Something personal")
    erase_account(user=world.alice)
    topic = Topic.objects.get()
    assert topic.suggested_by is None
    assert topic.text == "[erased]"
