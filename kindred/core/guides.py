"""Versioned guide pages, shared by the guide to supporting a friend (navigator) and the
facilitator guide (groups).

A page belongs to Kindred (no organisation) or to one organisation, whose copy its people see
instead of Kindred's page with the same slug. Every save is a new numbered version; restoring
copies an old version forward, so history is never rewritten. The page model needs
`organisation`, `slug`, `position`, `current` and a `versions` relation to a version model with
`number`, `title`, `summary`, `body`, `note`, `author`, `author_label`.
"""

from django.db.models import Max, Model
from django.utils.text import slugify

from kindred.core.errors import DomainError


def new_version(*, page: Model, author, title: str, summary: str, body: str, note: str) -> Model:
    number = (page.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    page.current = page.versions.create(
        number=number,
        title=title,
        summary=summary,
        body=body,
        note=note,
        author=author,
        author_label=f"{author.display_name} (coordinator)",
    )
    page.save(update_fields=["current"])
    return page


def save_page(
    *,
    page_model: type[Model],
    organisation,
    author,
    slug: str | None,
    title: str,
    summary: str,
    body: str,
    note: str = "",
) -> Model:
    """A new version of the organisation's own page. Editing Kindred's page makes the
    organisation's own copy; no slug makes a new page with a slug from the title."""
    pages = page_model.objects
    if slug is None:
        base = slugify(title)[:70] or "page"
        taken = set(pages.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        last = pages.aggregate(top=Max("position"))["top"] or 0
        page = pages.create(organisation=organisation, slug=slug, position=last + 10)
    else:
        page = pages.filter(organisation=organisation, slug=slug).first()
        if page is None:
            kindred = pages.filter(organisation__isnull=True, slug=slug).first()
            if kindred is None:
                raise DomainError("There is no such page.")
            page = pages.create(organisation=organisation, slug=slug, position=kindred.position)
    return new_version(
        page=page,
        author=author,
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        note=note.strip() or ("First version" if not page.versions.exists() else ""),
    )


def restore_version(*, organisation, author, version: Model) -> Model:
    """Bring back an older version as the newest one."""
    if version.page.organisation_id != organisation.pk:
        raise DomainError("Only your organisation's own pages can be restored.")
    return new_version(
        page=version.page,
        author=author,
        title=version.title,
        summary=version.summary,
        body=version.body,
        note=f"Restored version {version.number}",
    )


def history(page: Model, asked_for: str) -> tuple[list, Model | None]:
    """Every version, newest first, and the one asked for by number (if any)."""
    versions = list(page.versions.all())
    shown = None
    if asked_for.isdigit():
        shown = next((v for v in versions if v.number == int(asked_for)), None)
    return versions, shown
