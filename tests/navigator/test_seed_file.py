"""The shipped directory: it validates, loads on migrate, and loading again changes nothing."""

import datetime

import yaml

from kindred.navigator import services
from kindred.navigator.directory_files import DEMO_SEED, NATIONAL_SEED, check_rows, read_yaml
from kindred.navigator.models import GuidePage, Service

REQUIRED_UK = {
    "Samaritans",
    "Shout",
    "NHS 111 (mental health option)",
    "Practitioner Health",
    "BMA wellbeing support services",
    "DocHealth",
    "Doctors in Distress",
    "Mind Infoline",
}
REQUIRED_US = {"988 Suicide & Crisis Lifeline", "Crisis Text Line", "Physician Support Line"}


def test_the_national_seed_file_validates_and_names_its_sources():
    rows = check_rows(read_yaml(NATIONAL_SEED.read_text()), national=True)
    names = {(row["country"], row["name"]) for row in rows}
    assert {("GB", n) for n in REQUIRED_UK} <= names
    assert {("US", n) for n in REQUIRED_US} <= names
    assert all(row["source_url"].startswith("https://") for row in rows)


def test_the_seed_file_says_facts_must_be_checked_before_production():
    header = NATIONAL_SEED.read_text().split("services:")[0]
    assert "CHECK EVERY FACT AGAINST ITS SOURCE BEFORE PRODUCTION USE" in header


def test_the_demo_file_validates_with_the_five_school_services():
    rows = check_rows(read_yaml(DEMO_SEED.read_text()), country="GB")
    names = {row["name"] for row in rows}
    assert {
        "Student Wellbeing Service",
        "Counselling Service",
        "Occupational Health",
        "Personal tutor",
        "Students' Union Advice Centre",
    } <= names


def test_national_services_and_the_guide_are_there_without_demo_data(db):
    assert Service.objects.filter(organisation__isnull=True, country="GB").count() >= 10
    assert GuidePage.objects.filter(organisation__isnull=True, current__isnull=False).count() == 7


def test_loading_again_changes_nothing(db):
    before = list(Service.objects.values_list("pk", "updated_at"))
    result = services.load_national_directory()
    assert (result.created, result.updated) == (0, 0)
    assert list(Service.objects.values_list("pk", "updated_at")) == before
    assert services.load_national_guide() == 0


def test_an_entry_is_replaced_only_by_a_later_review(db, tmp_path):
    samaritans = Service.objects.get(key="gb-samaritans")
    samaritans.summary = "Edited by staff"
    samaritans.save()
    entries = yaml.safe_load(NATIONAL_SEED.read_text())
    entry = next(e for e in entries["services"] if e["key"] == "gb-samaritans")
    seed = tmp_path / "seed.yaml"
    seed.write_text(yaml.safe_dump({"services": [entry]}))
    services.load_national_directory(seed)
    samaritans.refresh_from_db()
    assert samaritans.summary == "Edited by staff"

    samaritans.last_reviewed = entry["last_reviewed"] - datetime.timedelta(days=1)
    samaritans.save()
    services.load_national_directory(seed)
    samaritans.refresh_from_db()
    assert samaritans.summary.startswith("Talk to someone")


def test_seed_demo_adds_the_schools_services_and_is_idempotent(world):
    from io import StringIO

    from django.apps import apps

    config = apps.get_app_config("navigator")
    config.seed_demo(StringIO())
    count = Service.objects.filter(organisation=world.school).count()
    config.seed_demo(StringIO())
    assert Service.objects.filter(organisation=world.school).count() == count == 6
