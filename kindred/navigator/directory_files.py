"""Directory files: read and write YAML and CSV, and check every row before anything is saved."""

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from kindred.navigator.forms import ServiceRecordForm, boolean_errors, record_to_form_data

SEED_DIR = Path(__file__).resolve().parent / "seed"
NATIONAL_SEED = SEED_DIR / "national_services.yaml"
DEMO_SEED = SEED_DIR / "demo_services.yaml"

# Columns of an export, in order; an import reads the same names (unknown columns are refused).
COLUMNS = [
    "key",
    "name",
    "run_by",
    "country",
    "summary",
    "description",
    "topics",
    "audiences",
    "cost",
    "cost_note",
    "access_routes",
    "wait",
    "wait_note",
    "opening_hours",
    "time_zone",
    "hours_note",
    "formats",
    "helpers",
    "phone",
    "text_number",
    "text_keyword",
    "website",
    "email",
    "languages",
    "tells_school",
    "tells_regulator",
    "confidentiality_limits",
    "records_kept",
    "independent_of_school",
    "source_url",
    "last_reviewed",
    "is_crisis_line",
    "crisis_rank",
]
LIST_COLUMNS = {"topics", "audiences", "access_routes", "formats", "languages"}
BOOLEAN_COLUMNS = {"independent_of_school", "is_crisis_line"}


@dataclass(frozen=True)
class RowError:
    """One problem: which row (1-based entry in YAML, line number in CSV), which field, what."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DirectoryFileError(Exception):
    """The file was refused whole; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def read_yaml(content: str) -> list[tuple[int, dict]]:
    """Entries of a YAML directory file, numbered from 1."""
    try:
        document = yaml.safe_load(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise DirectoryFileError([RowError(0, "", f"This is not valid YAML{where}.")]) from None
    entries = document.get("services") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise DirectoryFileError(
            [RowError(0, "", "Expected a list of services under “services:”.")]
        )
    rows = []
    errors = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            errors.append(RowError(number, "", "Each service must be a set of fields."))
        else:
            rows.append((number, entry))
    if errors:
        raise DirectoryFileError(errors)
    return rows


def read_csv(content: str) -> list[tuple[int, dict]]:
    """Rows of a CSV directory file, numbered by their line (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise DirectoryFileError([RowError(0, "", "The file is empty.")])
    rows = []
    try:
        for row in reader:
            extra = row.pop(None, None)
            if extra:
                raise DirectoryFileError(
                    [RowError(reader.line_num, "", "This row has more cells than the header.")]
                )
            rows.append((reader.line_num, {k: v for k, v in row.items() if v is not None}))
    except csv.Error as error:
        raise DirectoryFileError(
            [RowError(reader.line_num, "", f"Unreadable CSV: {error}")]
        ) from None
    return rows


def read_file(content: bytes | str, *, filename: str) -> list[tuple[int, dict]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DirectoryFileError(
                [RowError(0, "", "The file is not UTF-8 text. Save it as UTF-8 and try again.")]
            ) from None
    if filename.lower().endswith(".csv"):
        return read_csv(content)
    return read_yaml(content)


def check_rows(
    rows: list[tuple[int, dict]], *, country: str | None = None, national: bool = False
) -> list[dict]:
    """Validate every row with the editor's own rules; raise with every error, or return
    cleaned values. Organisation rows take the organisation's country; only national rows may
    be crisis lines."""
    errors: list[RowError] = []
    cleaned: list[dict] = []
    keys: dict[str, int] = {}
    allowed = set(COLUMNS)
    for number, record in rows:
        unknown = sorted(str(name) for name in record if name not in allowed)
        for name in unknown:
            errors.append(RowError(number, name, "This is not a column we know."))
        record = {k: v for k, v in record.items() if k in allowed}
        if country:
            record["country"] = country
            record.pop("time_zone", None)
        if not national and str(record.get("is_crisis_line", "")).strip().lower() in {
            "yes",
            "true",
            "1",
        }:
            errors.append(
                RowError(number, "is_crisis_line", "Only national entries can be crisis lines.")
            )
        for name in ("phone", "text_number"):
            if isinstance(record.get(name), int):
                errors.append(
                    RowError(number, name, "Put the number in quotes, so leading zeros stay.")
                )
        for name, message in boolean_errors(record):
            errors.append(RowError(number, name, message))
        form = ServiceRecordForm(record_to_form_data(record))
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    errors.append(RowError(number, "" if name == "__all__" else name, message))
            continue
        data = form.cleaned_data
        key = data.get("key")
        if national and not key:
            errors.append(RowError(number, "key", "National entries need a key."))
        if key:
            if key in keys:
                errors.append(
                    RowError(number, "key", f"“{key}” is used twice (also row {keys[key]}).")
                )
            keys[key] = number
        cleaned.append(data)
    if errors:
        raise DirectoryFileError(errors)
    return cleaned


def _export_value(service, column: str):
    if column == "opening_hours":
        return service.hours_text
    if column == "last_reviewed":
        return service.last_reviewed.isoformat()
    return getattr(service, column)


def service_records(services) -> list[dict]:
    records = []
    for service in services:
        record = {column: _export_value(service, column) for column in COLUMNS}
        if not service.is_crisis_line:
            record.pop("is_crisis_line")
            record.pop("crisis_rank")
        records.append({k: v for k, v in record.items() if v not in ("", [], None)})
    return records


def write_yaml(services, *, title: str) -> str:
    stamp = datetime.date.today().isoformat()
    header = (
        f"# {title}\n# Exported from Kindred on {stamp}. Edit and import it again: rows are\n"
        "# matched by key. Check every fact against its source before you rely on it.\n"
    )
    body = yaml.safe_dump(
        {"services": service_records(services)},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body


def write_csv(services) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in service_records(services):
        row = {}
        for column, value in record.items():
            if column in LIST_COLUMNS:
                value = "; ".join(value)
            elif column in BOOLEAN_COLUMNS:
                value = "yes" if value else "no"
            row[column] = value
        writer.writerow(row)
    return out.getvalue()
