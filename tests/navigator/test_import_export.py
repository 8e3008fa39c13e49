import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from kindred.navigator.directory_files import RowError
from kindred.navigator.models import Service
from tests.conftest import sign_in
from tests.navigator.factories import make_service

IMPORT = "/org/st-elsewhere/services/import/"


def upload(name: str, content: str):
    return {"file": SimpleUploadedFile(name, content.encode(), content_type="text/plain")}


def test_an_export_imports_back_unchanged(client, world):
    make_service(
        organisation=world.school, name="Counselling", opening_hours=[[0, "09:00", "17:00"]]
    )
    sign_in(client, world.cora)
    for file_format in ("yaml", "csv"):
        exported = client.get(f"/org/st-elsewhere/services/export.{file_format}")
        assert exported.status_code == 200
        assert "attachment" in exported["Content-Disposition"]
        response = client.post(IMPORT, upload(f"x.{file_format}", exported.content.decode()))
        assert response.status_code == 302, response.text
        assert Service.objects.filter(organisation=world.school).count() == 1
    service = Service.objects.get(organisation=world.school)
    assert service.name == "Counselling"
    assert service.opening_hours == [[0, "09:00", "17:00"]]


def test_an_import_adds_new_rows_and_updates_matching_keys(client, world):
    make_service(organisation=world.school, key="counselling", name="Counselling")
    exported = yaml.safe_load(
        sign_in(client, world.cora).get("/org/st-elsewhere/services/export.yaml").content
    )
    row = exported["services"][0]
    row["name"] = "Counselling Service"
    new = {**row, "name": "Chaplaincy"}
    del new["key"]
    response = client.post(IMPORT, upload("d.yaml", yaml.safe_dump({"services": [row, new]})))
    assert response.status_code == 302
    names = set(Service.objects.filter(organisation=world.school).values_list("name", flat=True))
    assert names == {"Counselling Service", "Chaplaincy"}


HEADER = (
    "name,run_by,summary,topics,audiences,cost,access_routes,wait,formats,helpers,phone,"
    "tells_school,tells_regulator,confidentiality_limits,records_kept,independent_of_school,"
    "source_url,last_reviewed\n"
)
BROKEN_CSV = (
    HEADER
    + "Good row,Us,Fine,exams,students,free,self_referral,days,phone,peers,0800 1,never,never,"
    "None,None,yes,https://a.example,2026-01-01\n"
    + "Bad row,Us,Fine,dragons,students,pricey,self_referral,days,phone,peers,0800 CALL,never,"
    "never,None,None,maybe,not a url,2026-01-01\n"
)


def test_a_broken_csv_is_rejected_whole_with_every_error_by_row_and_field(client, world):
    response = sign_in(client, world.cora).post(IMPORT, upload("d.csv", BROKEN_CSV))
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert not Service.objects.filter(name__in=["Good row", "Bad row"]).exists()
    text = response.text
    for field, message in [
        ("topics", "“dragons” is not one of the choices"),
        ("cost", "“pricey” is not one of the choices"),
        ("phone", "A phone number can hold only digits"),
        ("independent_of_school", "“maybe” is not yes or no."),
        ("source_url", "Enter a full web address"),
    ]:
        assert f"<td>3</td><td>{field}</td><td>{message}" in text


def test_a_broken_yaml_file_lists_errors_by_entry(world):
    from kindred.navigator import services
    from kindred.navigator.directory_files import DirectoryFileError

    content = yaml.safe_dump(
        {"services": [{"name": "Only a name"}, {"name": "Other", "colour": "blue"}]}
    )
    try:
        services.import_services(
            coordinator=world.cora, organisation=world.school, content=content, filename="a.yaml"
        )
    except DirectoryFileError as error:
        errors = error.errors
    else:
        raise AssertionError("the file was accepted")
    assert RowError(1, "run_by", "This field is required.") in errors
    assert RowError(2, "colour", "This is not a column we know.") in errors
    assert RowError(1, "phone", "Give at least one way to contact them.") in errors


def test_malformed_yaml_is_refused_with_a_reason(client, world):
    response = sign_in(client, world.cora).post(IMPORT, upload("d.yaml", "services: [unclosed"))
    assert "This is not valid YAML" in response.text


def test_phone_numbers_must_be_quoted_in_yaml(world):
    from kindred.navigator.directory_files import DirectoryFileError, check_rows, read_yaml

    with pytest.raises(DirectoryFileError) as raised:
        check_rows(read_yaml("services:\n  - name: A\n    phone: 01234\n"), country="GB")
    assert RowError(1, "phone", "Put the number in quotes, so leading zeros stay.") in (
        raised.value.errors
    )


def test_an_organisation_cannot_import_crisis_lines(client, world):
    content = (
        "name,run_by,summary,topics,audiences,cost,access_routes,wait,formats,helpers,phone,"
        "tells_school,tells_regulator,confidentiality_limits,records_kept,"
        "independent_of_school,source_url,last_reviewed,is_crisis_line\n"
        "Line,Us,Fine,exams,students,free,self_referral,days,phone,peers,0800 1,never,never,"
        "None,None,yes,https://a.example,2026-01-01,yes\n"
    )
    response = sign_in(client, world.cora).post(IMPORT, upload("d.csv", content))
    assert "Only national entries can be crisis lines." in response.text


def test_only_yaml_and_csv_files_are_accepted(client, world):
    response = sign_in(client, world.cora).post(IMPORT, upload("d.xlsx", "x"))
    assert "Choose a .yaml, .yml or .csv file." in response.text
    assert client.get("/org/st-elsewhere/services/export.xlsx").status_code == 404


def test_staff_import_national_services_from_the_command_line(db, tmp_path):
    from django.core.management import call_command

    from kindred.navigator.directory_files import write_yaml

    samaritans = Service.objects.get(key="gb-samaritans")
    samaritans.summary = "Refreshed summary."
    path = tmp_path / "national.yaml"
    path.write_text(write_yaml([samaritans], title="test"))
    call_command("import_directory", str(path))
    samaritans.refresh_from_db()
    assert samaritans.summary == "Refreshed summary."
