"""Writes: services in the directory, imports, the national seed, the guide, saved answers."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kindred.accounts.models import Organisation, Role, RoleGrant, User
from kindred.accounts.selectors import roles_of
from kindred.core import audit, guides
from kindred.core.errors import DomainError
from kindred.navigator import directory_files
from kindred.navigator.models import (
    GuidePage,
    GuidePageVersion,
    SavedFinderAnswers,
    Service,
)
from kindred.navigator.selectors import services_due_for_review

# Fields the editor and an import set; organisation, country and time zone come from the scope.
EDITABLE_FIELDS = [
    "name",
    "run_by",
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
]
NATIONAL_FIELDS = [*EDITABLE_FIELDS, "country", "time_zone", "is_crisis_line", "crisis_rank"]
GUIDE_SEED_DIR = directory_files.SEED_DIR / "guide"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _coordinator_check(coordinator: User, organisation: Organisation) -> None:
    if not roles_of(coordinator).has(Role.COORDINATOR, organisation.pk):
        raise DomainError("Only a coordinator of this organisation can change its services.")


def _unique_key(organisation: Organisation, name: str, *, taken: set[str] | None = None) -> str:
    base = slugify(name)[:70] or "service"
    existing = taken if taken is not None else set()
    existing |= set(
        Service.objects.filter(organisation=organisation, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, n = base, 2
    while key in existing:
        key, n = f"{base}-{n}", n + 1
    return key


def _apply(service: Service, data: dict, fields: list[str]) -> Service:
    for name in fields:
        if name in data:
            setattr(service, name, data[name])
    return service


def _in_scope(service: Service, organisation: Organisation) -> Service:
    service.organisation = organisation
    service.country = organisation.country
    service.time_zone = organisation.time_zone
    service.is_crisis_line = False
    return service


@transaction.atomic
def save_service(
    *, coordinator: User, organisation: Organisation, data: dict, service: Service | None = None
) -> Service:
    """Create or edit one of an organisation's services from the editor's cleaned data."""
    _coordinator_check(coordinator, organisation)
    if service is not None and service.organisation_id != organisation.pk:
        raise DomainError("That service belongs to another organisation.")
    creating = service is None
    if creating:
        service = Service(key=_unique_key(organisation, data["name"]))
    _in_scope(_apply(service, data, EDITABLE_FIELDS), organisation)
    service.save()
    audit.record(
        actor=coordinator,
        subject=None,
        action="added service" if creating else "edited service",
        target=f"{service.name} in {organisation.name}",
        role="coordinator",
    )
    return service


@transaction.atomic
def retire_service(*, coordinator: User, service: Service) -> Service:
    """Take a service out of the directory; it stays in the coordinators' list to restore."""
    _coordinator_check(coordinator, service.organisation)
    service.retired_at = timezone.now()
    service.save(update_fields=["retired_at", "updated_at"])
    audit.record(
        actor=coordinator,
        subject=None,
        action="retired service",
        target=f"{service.name} in {service.organisation.name}",
        role="coordinator",
    )
    return service


@transaction.atomic
def restore_service(*, coordinator: User, service: Service) -> Service:
    _coordinator_check(coordinator, service.organisation)
    service.retired_at = None
    service.save(update_fields=["retired_at", "updated_at"])
    audit.record(
        actor=coordinator,
        subject=None,
        action="restored service",
        target=f"{service.name} in {service.organisation.name}",
        role="coordinator",
    )
    return service


def mark_reviewed(*, coordinator: User, service: Service) -> Service:
    """Record that a coordinator checked the entry against its source today."""
    _coordinator_check(coordinator, service.organisation)
    service.last_reviewed = timezone.localdate()
    service.save(update_fields=["last_reviewed", "updated_at"])
    return service


@transaction.atomic
def import_services(
    *, coordinator: User, organisation: Organisation, content: bytes | str, filename: str
) -> ImportResult:
    """Import an organisation's services from YAML or CSV. Every row is checked first: one bad
    row refuses the whole file (DirectoryFileError lists every problem). Rows are matched to
    existing services by key; a row without a key is a new service."""
    _coordinator_check(coordinator, organisation)
    rows = directory_files.read_file(content, filename=filename)
    cleaned = directory_files.check_rows(rows, country=organisation.country)
    existing = {s.key: s for s in Service.objects.filter(organisation=organisation)}
    taken = set(existing)
    created = updated = 0
    for data in cleaned:
        service = existing.get(data.get("key") or "")
        if service is None:
            key = data.get("key") or _unique_key(organisation, data["name"], taken=taken)
            taken.add(key)
            service = Service(key=key)
            created += 1
        else:
            service.retired_at = None
            updated += 1
        _in_scope(_apply(service, data, EDITABLE_FIELDS), organisation)
        service.save()
    audit.record(
        actor=coordinator,
        subject=None,
        action="imported services",
        target=f"{created} new, {updated} updated in {organisation.name}",
        role="coordinator",
    )
    return ImportResult(created=created, updated=updated)


@transaction.atomic
def import_national_services(
    *, content: bytes | str, filename: str, only_newer: bool = False
) -> ImportResult:
    """Load national entries (staff, the seed file). With only_newer, an entry already in the
    directory is replaced only when the file's review date is later than its own."""
    rows = directory_files.read_file(content, filename=filename)
    cleaned = directory_files.check_rows(rows, national=True)
    existing = {s.key: s for s in Service.objects.filter(organisation__isnull=True)}
    created = updated = 0
    for data in cleaned:
        service = existing.get(data["key"])
        if service is None:
            service = Service(key=data["key"], organisation=None)
            created += 1
        elif only_newer and data["last_reviewed"] <= service.last_reviewed:
            continue
        else:
            updated += 1
        _apply(service, data, NATIONAL_FIELDS).save()
    return ImportResult(created=created, updated=updated)


def load_national_directory(path: Path = directory_files.NATIONAL_SEED) -> ImportResult:
    """The shipped national services and crisis lines (run after every migrate)."""
    return import_national_services(
        content=path.read_text(encoding="utf-8"), filename=path.name, only_newer=True
    )


def load_demo_services(*, organisation: Organisation) -> ImportResult:
    """The demo medical school's own services (seed_demo only)."""
    rows = directory_files.read_file(
        directory_files.DEMO_SEED.read_text(encoding="utf-8"), filename="demo.yaml"
    )
    cleaned = directory_files.check_rows(rows, country=organisation.country)
    created = updated = 0
    with transaction.atomic():
        for data in cleaned:
            service = Service.objects.filter(organisation=organisation, key=data["key"]).first()
            if service is None:
                service = Service(key=data["key"])
                created += 1
            else:
                updated += 1
            _in_scope(_apply(service, data, EDITABLE_FIELDS), organisation).save()
    return ImportResult(created=created, updated=updated)


# --- the support-a-friend guide


def _read_seed_page(path: Path) -> dict:
    """A seed page: a front block of "key: value" lines, a line "---", then Markdown."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = {
        name.strip(): value.strip()
        for name, _, value in (line.partition(":") for line in head.splitlines() if ":" in line)
    }
    return {
        "slug": path.stem.split("-", 1)[1],
        "position": int(path.stem.split("-", 1)[0]),
        "title": meta["title"],
        "summary": meta.get("summary", ""),
        "body": body.strip() + "\n",
    }


@transaction.atomic
def load_national_guide(directory: Path = GUIDE_SEED_DIR) -> int:
    """Add the shipped guide pages that are missing (existing pages and history are kept)."""
    added = 0
    for path in sorted(directory.glob("*.md")):
        seed = _read_seed_page(path)
        page, created = GuidePage.objects.get_or_create(
            organisation=None, slug=seed["slug"], defaults={"position": seed["position"]}
        )
        if created or page.current_id is None:
            version = GuidePageVersion.objects.create(
                page=page,
                number=1,
                title=seed["title"],
                summary=seed["summary"],
                body=seed["body"],
                note="First version",
                author_label="Kindred",
            )
            page.current = version
            page.save(update_fields=["current"])
            added += 1
    return added


@transaction.atomic
def save_guide_page(
    *,
    coordinator: User,
    organisation: Organisation,
    slug: str | None,
    title: str,
    summary: str,
    body: str,
    note: str = "",
) -> GuidePage:
    """Save a new version of the organisation's own page. Editing a national page makes the
    organisation's own copy (its members then see that one); a new slug makes a new page."""
    _coordinator_check(coordinator, organisation)
    page = guides.save_page(
        page_model=GuidePage,
        organisation=organisation,
        author=coordinator,
        slug=slug,
        title=title,
        summary=summary,
        body=body,
        note=note,
    )
    audit.record(
        actor=coordinator,
        subject=None,
        action="edited guide page",
        target=f"{title.strip()} in {organisation.name}",
        role="coordinator",
    )
    return page


@transaction.atomic
def restore_guide_version(
    *, coordinator: User, organisation: Organisation, version: GuidePageVersion
) -> GuidePage:
    """Bring back an older version as the newest one (history is never rewritten)."""
    _coordinator_check(coordinator, organisation)
    return guides.restore_version(organisation=organisation, author=coordinator, version=version)


# --- the finder's saved answers


def save_finder_answers(*, user: User, answers: dict) -> SavedFinderAnswers:
    """Keep a signed-in person's answers, encrypted with their key, because they asked to."""
    saved, _ = SavedFinderAnswers.objects.get_or_create(user=user, defaults={"answers": "{}"})
    saved.answers = json.dumps(answers, sort_keys=True)
    saved.save()
    return saved


def forget_finder_answers(*, user: User) -> None:
    SavedFinderAnswers.objects.filter(user=user).delete()


# --- review reminders


def send_review_reminders(*, today: datetime.date | None = None) -> int:
    """Email each organisation's coordinators the entries not reviewed for 12 months."""
    sent = 0
    today = today or timezone.localdate()
    for organisation in Organisation.objects.filter(
        services__retired_at__isnull=True,
    ).distinct():
        due = list(services_due_for_review(organisation=organisation))
        if not due:
            continue
        coordinators = [
            grant.membership.user.email
            for grant in RoleGrant.objects.filter(
                membership__organisation=organisation,
                role=Role.COORDINATOR,
                revoked_at__isnull=True,
            ).select_related("membership__user")
        ]
        if not coordinators:
            continue
        listed = "\n".join(f"- {s.name} (last reviewed {s.last_reviewed:%-d %b %Y})" for s in due)
        send_mail(
            subject=f"{len(due)} service entries in {organisation.name} need a review",
            message=(
                "These entries in your Kindred directory have not been checked against their "
                f"source for 12 months:\n\n{listed}\n\nOpen Kindred, go to Services for "
                f"{organisation.name}, check each one and press “Mark as reviewed”."
            ),
            from_email=None,
            recipient_list=coordinators,
        )
        sent += 1
    return sent
