import json

from kindred.navigator.models import SavedFinderAnswers
from tests.conftest import sign_in
from tests.navigator.factories import make_service

URL = "/find/"
ANSWERS = {
    "topics": ["exams"],
    "urgency": "week",
    "school_must_not_know": "on",
    "free": "on",
    "format": "either",
    "who": "peer",
}


def test_a_visitor_answers_three_questions_and_gets_services_with_reasons(client, db):
    make_service(name="Exam buddies", topics=["exams"], helpers="peers", wait="days")
    page = client.get(URL)
    assert page.status_code == 200
    assert "What is going on?" in page.text
    response = client.post(URL, ANSWERS)
    assert response.status_code == 200
    text = response.text
    assert text.index("Exam buddies") < text.index("Samaritans")
    assert "helps with exams and study; help within days; your school is not told" in text
    assert not SavedFinderAnswers.objects.exists()


def test_urgent_answers_show_crisis_lines_first(client, db):
    make_service(name="Exam buddies", topics=["exams"], helpers="peers")
    text = client.post(URL, {**ANSWERS, "urgency": "now"}).text
    assert "You said you need help now" in text
    assert text.index("Samaritans") < text.index("Exam buddies")


def test_a_service_that_tells_the_school_comes_after_ones_that_do_not(client, world):
    make_service(
        name="Personal tutor", organisation=world.school, topics=["exams"], tells_school="yes"
    )
    from kindred.navigator.forms import FinderForm
    from kindred.navigator.selectors import find_services

    form = FinderForm(ANSWERS)
    assert form.is_valid()
    results, total = find_services(
        user=world.alice, country="GB", answers=form.answers(), limit=100
    )
    assert len(results) == total
    assert results[-1][0].name == "Personal tutor"
    assert "your school is told" in results[-1][1].cautions
    text = sign_in(client, world.alice).post(URL, {**ANSWERS, "school_must_not_know": ""}).text
    assert "Personal tutor" in text


def test_every_question_can_be_skipped(client, db):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "Services for you" in response.text


def test_bad_answers_are_shown_by_the_question(client, db):
    response = client.post(URL, {"urgency": "yesterday", "topics": ["exams"]})
    assert response.status_code == 200
    assert "Select a valid choice. yesterday is not one of the available choices." in response.text
    assert 'value="exams" id="id_topics_3" checked' in response.text


def test_a_visitor_is_not_offered_saving(client, db):
    assert "Save my answers" not in client.post(URL, ANSWERS).text
    assert client.post("/find/save/", ANSWERS).status_code == 302
    assert not SavedFinderAnswers.objects.exists()


def test_a_member_saves_answers_encrypted_and_sees_them_next_time(client, world):
    sign_in(client, world.alice)
    assert "Save my answers" in client.post(URL, ANSWERS).text
    response = client.post("/find/save/", ANSWERS)
    assert response.status_code == 302
    saved = SavedFinderAnswers.objects.get(user=world.alice)
    assert json.loads(saved.answers)["topics"] == ["exams"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM navigator_savedfinderanswers")
        stored = cursor.fetchone()[0]
    assert stored.startswith("kv1:") and "exams" not in stored
    page = client.get(URL).text
    assert "We filled in the answers you saved" in page
    assert 'value="exams"' in page and "checked" in page


def test_a_member_forgets_saved_answers(client, world):
    sign_in(client, world.alice).post("/find/save/", ANSWERS)
    client.post("/find/forget/")
    assert not SavedFinderAnswers.objects.filter(user=world.alice).exists()
    assert "We filled in" not in client.get(URL).text


def test_change_my_answers_keeps_them(client, db):
    response = client.post(URL, {**ANSWERS, "change": "yes"})
    assert "What is going on?" in response.text
    assert 'value="peer" id="id_who_1" checked' in response.text


def test_results_cost_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    from tests.navigator.factories import make_services

    make_services(300, organisation=world.school)
    sign_in(client, world.alice)
    with django_assert_max_num_queries(14):
        response = client.post(URL, ANSWERS)
    assert response.status_code == 200
