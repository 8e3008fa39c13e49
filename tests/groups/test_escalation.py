"""A facilitator worried about someone in the group asks the safety advisor on duty for help."""

from kindred.core.models import AuditEntry
from kindred.groups import selectors
from kindred.safety.models import Escalation
from tests.conftest import sign_in
from tests.groups.builders import join
from tests.safety.conftest import on_duty


def _url(cohort):
    return f"/groups/cohorts/{cohort.pk}/escalate/"


def test_the_run_page_links_to_it(client, world, cohort):
    page = sign_in(client, world.fay).get(f"/groups/cohorts/{cohort.pk}/run/").text
    assert _url(cohort) in page


def test_a_named_participant_reaches_the_advisor_on_duty_and_is_told(client, world, cohort):
    on_duty(world.school, world.ada)
    join(world.alice, cohort)
    place = selectors.participants(cohort).get(user=world.alice)
    sign_in(client, world.fay)
    assert world.alice.display_name in client.get(_url(cohort)).text
    response = client.post(
        _url(cohort), {"participant": str(place.pk), "note": "She said she has a plan tonight."}
    )
    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/safety/escalations/{escalation.pk}/"
    assert escalation.source == "group"
    assert escalation.member == world.alice
    assert escalation.raised_by == world.fay
    assert escalation.note == "She said she has a plan tonight."
    assert escalation.pages.get().advisor == world.ada
    assert world.alice.notifications.filter(url="/safety/about-me/").exists()
    entry = AuditEntry.objects.get(subject=world.alice, action="escalated")
    assert "facilitator" in entry.actor_label


def test_someone_unnamed_can_be_raised_too(client, world, cohort):
    on_duty(world.school, world.ada)
    sign_in(client, world.fay).post(
        _url(cohort), {"participant": "unnamed", "note": "Someone spoke about ending it."}
    )
    escalation = Escalation.objects.get()
    assert escalation.member is None
    assert escalation.pages.exists()


def test_with_nobody_on_duty_it_routes_to_crisis_lines_and_says_so(client, world, cohort):
    response = sign_in(client, world.fay).post(
        _url(cohort), {"participant": "unnamed", "note": "Worried."}, follow=True
    )
    assert Escalation.objects.get().status == "crisis_route"
    assert "No safety advisor is on duty right now" in response.text


def test_someone_outside_the_group_cannot_be_named(client, world, cohort):
    from tests.groups.builders import make_cohort

    other = make_cohort(world)
    join(world.bob, other)
    outsider = selectors.participants(other).get(user=world.bob)
    response = sign_in(client, world.fay).post(
        _url(cohort), {"participant": str(outsider.pk), "note": "Worried."}
    )
    assert response.status_code == 400
    assert not Escalation.objects.exists()


def test_a_note_is_needed_and_the_choice_is_kept(client, world, cohort):
    join(world.alice, cohort)
    place = selectors.participants(cohort).get(user=world.alice)
    response = sign_in(client, world.fay).post(
        _url(cohort), {"participant": str(place.pk), "note": "  "}
    )
    assert response.status_code == 400
    assert "This field is required" in response.text
    chosen = response.text.split(f'value="{place.pk}"')[1].split(">")[0]
    assert "checked" in chosen  # the person chosen is still chosen
    assert not Escalation.objects.exists()


def test_participants_and_coordinators_cannot_escalate_from_a_group(client, world, cohort):
    join(world.alice, cohort)
    for person in (world.alice, world.cora):
        client.logout()
        response = sign_in(client, person).post(
            _url(cohort), {"participant": "unnamed", "note": "x"}
        )
        assert response.status_code == 404
    assert not Escalation.objects.exists()


def test_the_form_costs_a_few_queries(client, world, cohort, django_assert_max_num_queries):
    from tests.groups.builders import fill

    fill(cohort, world.school, 6)
    sign_in(client, world.fay)
    with django_assert_max_num_queries(20):
        assert client.get(_url(cohort)).status_code == 200
