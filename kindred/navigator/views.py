"""The navigator: crisis panel, directory, service pages, finder, friend guide, and the
coordinators' tools for their organisation's services and guide pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kindred.accounts.decorators import organisation_role_required
from kindred.accounts.models import COUNTRIES, Role
from kindred.accounts.selectors import roles_of
from kindred.core import guides
from kindred.core.errors import DomainError
from kindred.navigator import directory_files, selectors, services
from kindred.navigator.forms import (
    FinderForm,
    GuidePageForm,
    ImportForm,
    ServiceForm,
    read_directory_filters,
)
from kindred.navigator.models import Cost, Format, GuidePageVersion, Service, Topic
from kindred.navigator.rendering import render_markdown

PAGE_SIZE = 20
FINDER_RESULTS = 8


def crisis_lines(request):
    """The "Need help now?" panel: crisis lines for the person's country. Works signed out."""
    wanted = request.GET.get("country") or ""
    country, lines = selectors.crisis_lines_for(selectors.country_for(request.user, wanted))
    return render(
        request,
        "navigator/crisis_lines.html",
        {
            "country": country,
            "country_name": selectors.COUNTRY_NAMES[country],
            "countries": selectors.COUNTRY_NAMES,
            "lines": lines,
        },
    )


def directory(request):
    """Every service a person may see, with search and filters. Works signed out."""
    filters, notices = read_directory_filters(request.GET)
    wanted = request.GET.get("country", "")
    if wanted and wanted.upper() not in selectors.COUNTRY_NAMES:
        notices.append(f"We do not list services for “{wanted[:20]}” yet, so we show the UK.")
    country = selectors.country_for(request.user, wanted)
    found = selectors.directory(user=request.user, country=country, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "navigator/directory.html",
        {
            "page": page,
            "filters": filters,
            "notices": notices,
            "country": country,
            "countries": COUNTRIES,
            "topics": Topic.choices,
            "costs": Cost.choices,
            "formats": Format.choices,
            "query_string": query.urlencode(),
            "coordinates": roles_of(request.user).orgs_where(Role.COORDINATOR),
        },
    )


def service_detail(request, pk: int):
    """One service and its transparency card; another organisation's service answers 404."""
    service = selectors.service_for(user=request.user, pk=pk)
    if service is None:
        raise Http404("No such service")
    return render(request, "navigator/service_detail.html", {"service": service})


def finder(request):
    """Three plain questions, then services in order with the reasons for each.

    Answers are posted, not put in the address, so they stay out of history and logs; they
    are kept only when a signed-in person presses "Save my answers"."""
    saved = selectors.saved_answers_of(request.user)
    if request.method != "POST":
        form = FinderForm(initial=saved or {})
        return render(request, "navigator/finder.html", {"form": form, "saved": saved})
    form = FinderForm(request.POST)
    if not form.is_valid() or request.POST.get("change"):
        return render(request, "navigator/finder.html", {"form": form, "saved": saved})
    answers = form.answers()
    country = selectors.country_for(request.user)
    results, total = selectors.find_services(
        user=request.user, country=country, answers=answers, limit=FINDER_RESULTS
    )
    return render(
        request,
        "navigator/finder_results.html",
        {
            "form": form,
            "answers": answers,
            "results": results,
            "total": total,
            "urgent": answers.urgency in {"now", "today"},
            "saved": saved,
        },
    )


@login_required
@require_POST
def save_finder_answers(request):
    form = FinderForm(request.POST)
    if form.is_valid():
        services.save_finder_answers(user=request.user, answers=form.cleaned_data)
        messages.success(
            request,
            "Saved. Only you can see these answers; they fill in the finder next time. "
            "You can forget them below at any time.",
        )
    return redirect("finder")


@login_required
@require_POST
def forget_finder_answers(request):
    services.forget_finder_answers(user=request.user)
    messages.success(request, "Your saved answers are deleted.")
    return redirect("finder")


def friend_guide(request):
    """Support a friend: the guide's pages. Works signed out."""
    pages = selectors.guide_pages_for(user=request.user)
    return render(request, "navigator/friend_guide.html", {"pages": pages})


def guide_page(request, page_slug: str):
    pages = selectors.guide_pages_for(user=request.user)
    index = next((i for i, p in enumerate(pages) if p.slug == page_slug), None)
    if index is None:
        raise Http404("No such page")
    page = pages[index]
    return render(
        request,
        "navigator/guide_page.html",
        {
            "page": page,
            "version": page.current,
            "body": render_markdown(page.current.body),
            "previous": pages[index - 1] if index > 0 else None,
            "next": pages[index + 1] if index + 1 < len(pages) else None,
        },
    )


# --- coordinators: services


def _own_service(organisation, pk: int) -> Service:
    return get_object_or_404(Service, pk=pk, organisation=organisation)


@organisation_role_required(Role.COORDINATOR)
def manage_services(request, organisation):
    rows = list(selectors.organisation_services(organisation=organisation))
    today = timezone.localdate()
    return render(
        request,
        "navigator/manage_services.html",
        {
            "organisation": organisation,
            "active": [s for s in rows if s.retired_at is None],
            "retired": [s for s in rows if s.retired_at is not None],
            "due": [s for s in rows if s.retired_at is None and s.review_due(today)],
            "national_due": selectors.services_due_for_review(organisation=None).filter(
                country=organisation.country
            ),
        },
    )


def _edit(request, organisation, service=None):
    initial = (
        ServiceForm.initial_for(service) if service else {"last_reviewed": timezone.localdate()}
    )
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_service(
                coordinator=request.user,
                organisation=organisation,
                data=form.cleaned_data,
                service=service,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"Saved “{saved.name}”. Members of {organisation.name} see it in the "
                "directory now.",
            )
            return redirect("manage_services", slug=organisation.slug)
    return render(
        request,
        "navigator/service_form.html",
        {"organisation": organisation, "form": form, "service": service},
    )


@organisation_role_required(Role.COORDINATOR)
def create_service(request, organisation):
    return _edit(request, organisation)


@organisation_role_required(Role.COORDINATOR)
def edit_service(request, organisation, pk: int):
    return _edit(request, organisation, _own_service(organisation, pk))


@require_POST
@organisation_role_required(Role.COORDINATOR)
def retire_service(request, organisation, pk: int):
    service = _own_service(organisation, pk)
    if request.POST.get("action") == "restore":
        services.restore_service(coordinator=request.user, service=service)
        messages.success(request, f"“{service.name}” is back in the directory.")
    else:
        services.retire_service(coordinator=request.user, service=service)
        messages.success(
            request,
            f"“{service.name}” is retired: members no longer see it. You can bring it back "
            "from the list of retired services.",
        )
    return redirect("manage_services", slug=organisation.slug)


@require_POST
@organisation_role_required(Role.COORDINATOR)
def mark_service_reviewed(request, organisation, pk: int):
    service = services.mark_reviewed(
        coordinator=request.user, service=_own_service(organisation, pk)
    )
    messages.success(request, f"Marked “{service.name}” as reviewed today.")
    return redirect("manage_services", slug=organisation.slug)


@organisation_role_required(Role.COORDINATOR)
def export_services(request, organisation, file_format: str):
    if file_format not in {"yaml", "csv"}:
        raise Http404("Export as .yaml or .csv")
    rows = Service.objects.filter(organisation=organisation, retired_at__isnull=True).order_by(
        "name"
    )
    if file_format == "csv":
        content, kind = directory_files.write_csv(rows), "text/csv; charset=utf-8"
    else:
        title = f"Services of {organisation.name}"
        content, kind = directory_files.write_yaml(rows, title=title), "text/yaml; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-services.{file_format}"'
    )
    return response


@organisation_role_required(Role.COORDINATOR)
def import_services(request, organisation):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_services(
                coordinator=request.user,
                organisation=organisation,
                content=upload.read(),
                filename=upload.name,
            )
        except directory_files.DirectoryFileError as error:
            errors = error.errors
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"Imported {result.created} new and updated {result.updated} services. "
                f"Members of {organisation.name} see them now.",
            )
            return redirect("manage_services", slug=organisation.slug)
    return render(
        request,
        "navigator/import_services.html",
        {"organisation": organisation, "form": form, "errors": errors},
    )


# --- coordinators: the guide


@organisation_role_required(Role.COORDINATOR)
def manage_guide(request, organisation):
    return render(
        request,
        "navigator/manage_guide.html",
        {"organisation": organisation, "rows": selectors.guide_pages_of(organisation=organisation)},
    )


def _guide_form(request, organisation, *, slug=None, start=None):
    initial = {}
    if start is not None:
        initial = {"title": start.title, "summary": start.summary, "body": start.body}
    form = GuidePageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.save_guide_page(
                coordinator=request.user, organisation=organisation, slug=slug, **form.cleaned_data
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                f"Saved version {page.current.number} of “{page.current.title}”. "
                f"Members of {organisation.name} see it now.",
            )
            return redirect("manage_guide", slug=organisation.slug)
    return render(
        request,
        "navigator/guide_form.html",
        {"organisation": organisation, "form": form, "slug": slug, "start": start},
    )


@organisation_role_required(Role.COORDINATOR)
def new_guide_page(request, organisation):
    return _guide_form(request, organisation)


@organisation_role_required(Role.COORDINATOR)
def edit_guide_page(request, organisation, page_slug: str):
    page = selectors.editable_guide_page(
        organisation=organisation, slug=page_slug
    ) or selectors.national_guide_page(slug=page_slug)
    if page is None or page.current is None:
        raise Http404("No such page")
    return _guide_form(request, organisation, slug=page_slug, start=page.current)


@organisation_role_required(Role.COORDINATOR)
def guide_page_history(request, organisation, page_slug: str):
    page = selectors.editable_guide_page(organisation=organisation, slug=page_slug)
    if page is None:
        raise Http404("No such page")
    versions, shown = guides.history(page, request.GET.get("version", ""))
    return render(
        request,
        "navigator/guide_history.html",
        {
            "organisation": organisation,
            "page": page,
            "versions": versions,
            "shown": shown,
            "shown_body": render_markdown(shown.body) if shown else "",
        },
    )


@require_POST
@organisation_role_required(Role.COORDINATOR)
def restore_guide_version(request, organisation, page_slug: str, number: int):
    version = get_object_or_404(
        GuidePageVersion.objects.select_related("page"),
        page__organisation=organisation,
        page__slug=page_slug,
        number=number,
    )
    page = services.restore_guide_version(
        coordinator=request.user, organisation=organisation, version=version
    )
    messages.success(
        request, f"Restored version {number} as version {page.current.number}. Nothing was lost."
    )
    return redirect("guide_page_history", slug=organisation.slug, page_slug=page_slug)
