"""Pages of the information asset register.

Views parse, call one selector or service, and render. Every read goes
through ``selectors`` with the viewer's access; every write through
``services``.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Any

import markupsafe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from steward.accounts.models import User
from steward.assets import (
    derivations,
    exporting,
    forms,
    importing,
    permissions,
    selectors,
    services,
    validation,
)
from steward.assets.countries import COUNTRIES
from steward.assets.models import (
    Asset,
    Category,
    JobPhase,
    JobState,
    Risk,
    Status,
    Subject,
)
from steward.assets.paging import CappedPaginator
from steward.common import components, spreadsheets
from steward.common.errors import Forbidden, Invalid, NotFound
from steward.common.forms import render_field, yes_no
from steward.common.templatetags.steward_pages import pagination_params
from steward.organisations.access import Access, department_page_access
from steward.organisations.models import Organisation, Role

PER_PAGE = 50


_access = department_page_access


def _filters(form: forms.FilterForm) -> selectors.Filters:
    d = form.cleaned_data if form.is_valid() else {}
    owner = d.get("owner") or ""
    status = d.get("status") or Status.ACTIVE
    return selectors.Filters(
        search=d.get("q", ""),
        organisation=d.get("organisation", ""),
        owner=int(owner) if owner.isdigit() else None,
        classification=d.get("classification", ""),
        ppd=yes_no(d.get("ppd", "")),
        country=d.get("country", ""),
        offshore=yes_no(d.get("offshore", "")),
        overdue=yes_no(d.get("overdue", "")),
        risk=d.get("risk", ""),
        status="" if status == "all" else status,
        sort=d.get("sort") or "name",
    )


def _filter_form(request: HttpRequest, access: Access) -> forms.FilterForm:
    orgs = selectors.organisations_for_register(access=access)
    owners = (
        User.objects.filter(
            memberships__role=Role.IAO,
            memberships__revoked_at__isnull=True,
            memberships__organisation__in=orgs,
        )
        .distinct()
        .order_by("full_name")[:500]
    )
    return forms.FilterForm(
        request.GET or None,
        organisations=[(o.code, o.name) for o in orgs],
        owners=[(str(u.pk), u.full_name) for u in owners],
    )


def _tag(risk: str) -> dict[str, Any]:
    colour = {Risk.HIGH: "govuk-tag--red", Risk.MEDIUM: "govuk-tag--yellow"}
    return {
        "text": Risk(risk).label,
        "classes": colour.get(risk, "govuk-tag--green"),
    }


@cache
def _tag_html(risk: str) -> SafeString:
    """The risk tag, rendered once per risk level by the Design System's
    macro (three levels; 50 renders a page cost more than its queries)."""
    return components.render("tag", _tag(risk))


def _detail_href(pk: int) -> str:
    # One reverse() per page, not one per row.
    return _detail_prefix() + f"{pk}/"


@cache
def _detail_prefix() -> str:
    return reverse("assets:detail", args=[0])[: -len("0/")]


def _rows(assets: list[Asset]) -> list[list[dict[str, Any]]]:
    today = timezone.localdate()
    rows = []
    for a in assets:
        overdue = a.is_active and derivations.review_overdue(
            review_due=a.review_due, today=today
        )
        rows.append(
            [
                {
                    "html": format_html(
                        '<a class="govuk-link" href="{}">{}</a><br>'
                        '<span class="govuk-hint govuk-!-font-size-16">{}'
                        "</span>",
                        _detail_href(a.pk),
                        a.name,
                        a.reference,
                    )
                },
                {"text": a.organisation.name},
                {"text": a.owner.full_name},
                {"text": a.get_classification_display()},
                {"text": "Yes" if a.is_ppd else "No"},
                {"text": "Yes" if a.offshore else "No"},
                {"text": f"{a.individuals:,}", "format": "numeric"},
                {
                    "text": a.review_due.strftime("%-d %b %Y")
                    + (" (overdue)" if overdue else "")
                },
                {"html": _tag_html(a.risk)},
            ]
        )
    return rows


def _cell(tag: str, cell: dict[str, Any], extra: str = "") -> str:
    kind = "header" if tag == "th" else "cell"
    fmt = cell.get("format")
    modifier = f" govuk-table__{kind}--{fmt}" if fmt else ""
    content = _escape(cell["html"] if "html" in cell else cell.get("text", ""))
    return (
        f'<{tag} {extra}class="govuk-table__{kind}{modifier}">'
        f"{content}</{tag}>"
    )


def table_html(table: dict[str, Any]) -> SafeString:
    """The Design System's table (``govukTable``) for cells with ``text``,
    ``html`` and ``format`` only, built directly and escaped as Jinja
    escapes (markupsafe): the macro took 25 ms for a page of 50 assets,
    Django's format_html 14 ms. tests/assets/test_list_at_scale.py checks
    that this gives the macro's markup, so the two cannot drift apart."""
    classes = table.get("captionClasses")
    caption = (
        f'<caption class="govuk-table__caption'
        f'{" " + _escape(classes) if classes else ""}">'
        f"{_escape(table['caption'])}</caption>"
    )
    head = "".join(_cell("th", c, 'scope="col" ') for c in table["head"])
    body = "".join(
        '<tr class="govuk-table__row">'
        + "".join(_cell("td", c) for c in row)
        + "</tr>"
        for row in table["rows"]
    )
    return mark_safe(  # noqa: S308 - every part is escaped above
        f'<table class="govuk-table">{caption}'
        f'<thead class="govuk-table__head">'
        f'<tr class="govuk-table__row">{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{body}</tbody></table>'
    )


def _escape(value: Any) -> str:
    """Escaped as the Design System's Jinja macros escape (safe strings,
    Django's or Jinja's, pass as they are)."""
    return str(markupsafe.escape(value))


_HEAD = [
    {"text": "Asset"},
    {"text": "Organisation"},
    {"text": "Owner"},
    {"text": "Classification"},
    {"text": "PPD"},
    {"text": "Offshore"},
    {"text": "People", "format": "numeric"},
    {"text": "Review due"},
    {"text": "Risk"},
]


_FIELD_CACHE: dict[tuple[Any, ...], SafeString] = {}


def _filter_fields(form: forms.FilterForm) -> dict[str, SafeString]:
    """The filter form's fields as GOV.UK components. A field without an
    error is a pure function of its name, label, choices and value, so its
    HTML is kept (a few hundred entries at most): the country select alone
    has 250 options and took 10 ms to render on every page."""
    out = {}
    for bf in form:
        if bf.errors:
            out[bf.name] = render_field(bf)
            continue
        choices = getattr(bf.field, "choices", None)
        key = (
            bf.name,
            str(bf.label),
            tuple(choices) if choices is not None else None,
            str(bf.value()),
        )
        html = _FIELD_CACHE.get(key)
        if html is None:
            if len(_FIELD_CACHE) > 2000:
                _FIELD_CACHE.clear()
            html = _FIELD_CACHE[key] = render_field(bf)
        out[bf.name] = html
    return out


def _pagination(page: Any, request: HttpRequest) -> dict[str, Any] | None:
    """The pagination component's parameters; when the count stopped
    early, the last page number shown is not the last page, so it is
    replaced by an ellipsis."""
    if not page.has_other_pages():
        return None
    params = pagination_params(page, request)
    if page.paginator.capped:
        items = params["items"]
        if items and not items[-1].get("current"):
            items[-1] = {"ellipsis": True}
            if len(items) > 1 and items[-2].get("ellipsis"):
                items.pop()
    return params


@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = _filter_form(request, access)
    qs = selectors.asset_list(access=access, filters=_filters(form))
    number = request.GET.get("page")
    page = CappedPaginator(qs, PER_PAGE, number).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assets/list.html",
        {
            "form": form,
            "fields": _filter_fields(form),
            "page": page,
            "pagination": _pagination(page, request),
            "total": f"more than {page.paginator.limit:,}"
            if page.paginator.capped
            else f"{page.paginator.count:,}",
            "table": table_html(
                {
                    "caption": "Information assets",
                    "captionClasses": "govuk-visually-hidden",
                    "head": _HEAD,
                    "rows": _rows(list(page.object_list)),
                }
            ),
            "query": query.urlencode(),
            "can_register": any(
                g.role in permissions.REGISTRARS for g in access.grants
            ),
        },
    )


def _people(changes: list[Any]) -> dict[int, str]:
    ids = set()
    for c in changes:
        if c.actor_id.startswith("user:"):
            ids.add(int(c.actor_id[5:]))
        for name, (old, new) in c.fields.items():
            if name == "owner":
                ids |= {v for v in (old, new) if isinstance(v, int)}
    return selectors.people_named(ids)


def _actor(actor_id: str, names: dict[int, str]) -> str:
    if actor_id.startswith("user:"):
        return names.get(int(actor_id[5:]), "a former user")
    if actor_id.startswith("apikey:"):
        return "an API key"
    return "Steward (" + actor_id.split(":", 1)[-1] + ")"


def _value(name: str, value: Any, names: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if name == "owner":
        return names.get(value, "a former user")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _history(changes: list[Any]) -> list[dict[str, Any]]:
    names = _people(changes)
    out = []
    for c in changes:
        out.append(
            {
                "when": c.occurred_at,
                "who": _actor(c.actor_id, names),
                "action": c.action,
                "reason": c.reason,
                "fields": [
                    {
                        "name": name.replace("_", " ").capitalize(),
                        "before": _value(name, old, names),
                        "after": _value(name, new, names),
                    }
                    for name, (old, new) in c.fields.items()
                ],
            }
        )
    return out


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=pk)
    locations = list(asset.locations.all())
    derived = validation.derive(asset, [x.country for x in locations])
    return render(
        request,
        "assets/detail.html",
        {
            "asset": asset,
            "locations": [
                (x, COUNTRIES.get(x.country, x.country)) for x in locations
            ],
            "backup_country": COUNTRIES.get(asset.backup_country, ""),
            "derived": derived,
            "risk_tag": _tag(asset.risk),
            "risk_rule": derivations.RISK_RULE,
            "overdue": asset.is_active
            and derivations.review_overdue(
                review_due=asset.review_due, today=timezone.localdate()
            ),
            "subjects": [
                dict(Subject.choices)[s] for s in asset.data_subjects
            ],
            "categories": [
                dict(Category.choices)[c] for c in asset.categories
            ],
            "history": _history(
                selectors.asset_history(access=access, asset=asset)
            ),
            "can_change": asset.is_active
            and permissions.can_change(access=access, asset=asset),
        },
    )


def _require_change(access: Access, asset: Asset, verb: str) -> None:
    if not permissions.can_change(access=access, asset=asset):
        raise Forbidden(
            f"Only the asset's owner, the SIRO or the central team can "
            f"{verb} it"
        )


def _registrable(access: Access) -> list[Organisation]:
    return [
        o
        for o in selectors.organisations_for_register(access=access)
        if permissions.can_register(access=access, organisation=o)
    ]


def _owner(value: str) -> User | None:
    return User.objects.filter(pk=value).first() if value.isdigit() else None


@login_required
def asset_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    orgs = _registrable(access)
    if not orgs:
        raise Forbidden(
            "Only an Information Asset Owner, the SIRO or the central team "
            "can register assets"
        )
    chosen = next(
        (o for o in orgs if o.code == request.POST.get("organisation")),
        orgs[0],
    )
    # Owners for every organisation offered; the service checks the pair.
    owners = list(
        {
            u.pk: u
            for o in orgs
            for u in permissions.eligible_owners(organisation=o)
        }.values()
    )
    initial = {"review_due": derivations.next_review(timezone.localdate())}
    if access.user_id is not None and any(
        u.pk == access.user_id for u in owners
    ):
        initial["owner"] = str(access.user_id)
    form = forms.AssetForm(
        request.POST or None,
        organisations=orgs,
        owners=owners,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(
                access=access,
                organisation=chosen,
                data=form.facts(_owner(form.cleaned_data["owner"])),
                locations=form.locations(),
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, f"'{asset.name}' is registered")
            return redirect("assets:detail", pk=asset.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Register an information asset",
            "back_url": reverse("assets:list"),
            "intro": "Record what personal data is held, where and how it "
            "is protected. Steward works out whether it is protected "
            "personal data, its classification and its risk.",
            "submit_label": "Register asset",
        },
    )


def _edit_initial(asset: Asset) -> dict[str, Any]:
    initial = {name: getattr(asset, name) for name in validation.FIELDS}
    initial["owner"] = str(asset.owner_id)
    loc = asset.locations.first()
    if loc is not None:
        initial |= {
            "location_system": loc.system,
            "location_site": loc.site,
            "location_provider": loc.hosting_provider,
            "location_country": loc.country,
        }
    return initial


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=pk)
    _require_change(access, asset, "change")
    if not asset.is_active:
        raise Forbidden("A closed asset cannot be changed")
    form = forms.AssetForm(
        request.POST or None,
        organisations=[asset.organisation],
        owners=permissions.eligible_owners(organisation=asset.organisation),
        editing=True,
        initial=_edit_initial(asset),
    )
    if request.method == "POST" and form.is_valid():
        keep_more = asset.locations.count() > 1
        try:
            services.asset_update(
                access=access,
                asset=asset,
                data=form.facts(_owner(form.cleaned_data["owner"])),
                # The form edits the first location; others are kept.
                locations=form.locations()
                + (
                    list(
                        asset.locations.values(
                            "system", "site", "hosting_provider", "country"
                        )[1:]
                    )
                    if keep_more
                    else []
                ),
                reason=form.cleaned_data.get("reason", ""),
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, "Changes saved")
            return redirect("assets:detail", pk=asset.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": f"Change {asset.name}",
            "caption": asset.organisation.name,
            "back_url": reverse("assets:detail", args=[asset.pk]),
            "submit_label": "Save changes",
        },
    )


@login_required
def asset_close(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=pk)
    _require_change(access, asset, "close")
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_close(
                access=access,
                asset=asset,
                reason=form.cleaned_data["reason"],
                disposed=form.cleaned_data["disposed"],
            )
        except Invalid as exc:
            form.add_invalid(exc)
        else:
            messages.success(request, f"'{asset.name}' is closed")
            return redirect("assets:detail", pk=asset.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": f"Close {asset.name}",
            "caption": asset.organisation.name,
            "back_url": reverse("assets:detail", args=[asset.pk]),
            "intro": "The asset stays in the register, marked closed, "
            "with who closed it and why.",
            "submit_label": "Close asset",
        },
    )


@login_required
@require_POST
def asset_review(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    asset = selectors.asset_get(access=access, pk=pk)
    try:
        asset = services.asset_review(access=access, asset=asset)
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(
            request,
            f"Review recorded; the next is due {asset.review_due:%-d %B %Y}",
        )
    return redirect("assets:detail", pk=asset.pk)


@login_required
def my_assets(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    tasks = list(selectors.review_tasks(access=access)[:200])
    page = Paginator(selectors.my_assets(access=access), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assets/mine.html",
        {
            "tasks": tasks,
            "today": timezone.localdate(),
            "page": page,
            "table": {
                "caption": "Assets you own",
                "captionClasses": "govuk-visually-hidden",
                "head": _HEAD,
                "rows": _rows(list(page.object_list)),
            },
        },
    )


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """A SIRO's (or the central team's) view of their whole subtree."""
    access = _access(request)
    grants = [g for g in access.grants if g.role in (Role.SIRO, Role.CENTRAL)]
    if not grants:
        raise Forbidden("Only a SIRO or the central team sees this overview")
    orgs = Organisation.objects.filter(
        pk__in=[g.organisation_id for g in grants]
    ).order_by("path")
    sections = [
        {
            "org": o,
            "counts": selectors.subtree_counts(access=access, organisation=o),
        }
        for o in orgs
    ]
    return render(request, "assets/overview.html", {"sections": sections})


def _export_qs(request: HttpRequest, access: Access):  # type: ignore[no-untyped-def]
    return selectors.asset_list(
        access=access, filters=_filters(_filter_form(request, access))
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = exporting.rows(_export_qs(request, _access(request)))
    return spreadsheets.download(rows, fmt=fmt, name="assets", title="Assets")


def template_csv(request: HttpRequest) -> HttpResponse:
    return _template("csv")


def template_xlsx(request: HttpRequest) -> HttpResponse:
    return _template("xlsx")


def _template(fmt: str) -> HttpResponse:
    return spreadsheets.download(
        importing.rows_of_template(),
        fmt=fmt,
        name="asset-register-template",
        title="Register",
        stamp=False,
    )


# --- Import: upload, map the columns, dry run, commit -------------------

_SESSION = "assets_import"


def _pending(request: HttpRequest, access: Access) -> dict[str, Any]:
    pending = request.session.get(_SESSION)
    if not pending or pending.get("actor") != access.actor_id:
        raise NotFound("import")
    return pending


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    orgs = _registrable(access)
    if not orgs:
        raise Forbidden(
            "Only an Information Asset Owner, the SIRO or the central team "
            "can import a register"
        )
    form = forms.ImportUploadForm(
        request.POST or None, request.FILES or None, organisations=orgs
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            headers, table = importing.read_table(data, upload.name)
        except importing.FileError as exc:
            form.add_error("file", str(exc))
        else:
            token = secrets.token_hex(16)
            suffix = (
                ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
            )
            importing.upload_path(token, suffix).write_bytes(data)
            request.session[_SESSION] = {
                "token": token,
                "suffix": suffix,
                "filename": Path(upload.name).name[:200],
                "organisation": form.cleaned_data["organisation"],
                "actor": access.actor_id,
                "headers": headers,
                "rows": len(table),
            }
            return redirect("assets:import_map")
    return render(
        request,
        "assets/import_upload.html",
        {"form": form},
    )


@login_required
def import_map(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    pending = _pending(request, access)
    org = next(
        (o for o in _registrable(access) if o.code == pending["organisation"]),
        None,
    )
    if org is None:
        raise NotFound("organisation")
    headers = pending["headers"]
    form = forms.MappingForm(
        request.POST or None,
        columns=importing.COLUMNS,
        headers=headers,
        initial_map=importing.guess_mapping(headers),
    )
    checked = None
    if request.method == "POST" and form.is_valid():
        path = importing.upload_path(pending["token"], pending["suffix"])
        if not path.exists():
            raise NotFound("import")
        data = path.read_bytes()
        digest = importing.file_digest(data)
        if "commit" in request.POST or (
            pending.get("rows", 0) > services.INLINE_ROWS
        ):
            # The import (and the dry run of a big file) runs in the
            # background; its page shows the progress.
            try:
                job = services.import_start(
                    access=access,
                    organisation=org,
                    filename=pending["filename"],
                    token=pending["token"],
                    suffix=pending["suffix"],
                    mapping=form.mapping(),
                    file_digest=digest,
                    dry_run="commit" not in request.POST,
                )
            except Invalid as exc:
                messages.error(request, " ".join(exc.errors.values()))
                return redirect("assets:import_map")
            return redirect("assets:import_job", pk=job.pk)
        _, rows = importing.read_table(data, pending["filename"])
        checked = importing.check(
            access=access,
            organisation=org,
            headers=headers,
            rows=rows,
            mapping=form.mapping(),
            digest=digest,
        )
    return render(
        request,
        "assets/import_map.html",
        {
            "form": form,
            "org": org,
            "filename": pending["filename"],
            "rows": f"{pending.get('rows', 0):,}",
            "in_background": pending.get("rows", 0) > services.INLINE_ROWS,
            "checked": checked,
            "problems_table": _problems_table(checked) if checked else None,
            "commit_label": f"Import {len(checked.ready):,} assets"
            if checked
            else "",
        },
    )


def _problems_table(checked: importing.Checked) -> dict[str, Any]:
    return _problem_rows(
        len(checked.problems),
        [(p.row, p.column, p.reason) for p in checked.problems[:2000]],
    )


def _problem_rows(count: int, problems: list[Any]) -> dict[str, Any]:
    shown = f" (the first {len(problems):,})" if count > len(problems) else ""
    return {
        "caption": f"{count:,} problems{shown}",
        "captionClasses": "govuk-table__caption--m",
        "head": [{"text": "Row"}, {"text": "Column"}, {"text": "Problem"}],
        "rows": [
            [
                {"text": str(row) if row else "File"},
                {"text": column},
                {"text": reason},
            ]
            for row, column, reason in problems
        ],
    }


# Seconds between two looks at a running import (the page asks again by
# itself: a Refresh header, so no script is needed under the CSP).
POLL_SECONDS = 2


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background check or import: its progress while it runs, then
    its outcome."""
    access = _access(request)
    job = selectors.import_job_get(access=access, pk=pk)
    pending = request.session.get(_SESSION) or {}
    same_file = pending.get("token") == job.token
    if job.state == JobState.DONE and not job.dry_run and same_file:
        del request.session[_SESSION]
    response = render(
        request,
        "assets/import_job.html",
        {
            "job": job,
            "can_remap": same_file,
            "commit_label": f"Import {job.ready:,} assets",
            "done_text": f"{job.imported:,} assets imported"
            + (
                f"; {job.unchanged:,} already in the register"
                if job.unchanged
                else ""
            ),
            "problems_table": _problem_rows(job.problem_count, job.problems)
            if job.problem_count
            else None,
            "phases": [
                (label, value == job.phase)
                for value, label in JobPhase.choices
                if value not in (JobPhase.QUEUED, JobPhase.FINISHED)
                and (not job.dry_run or value in _DRY_PHASES)
            ],
        },
    )
    if not job.finished:
        response["Refresh"] = str(POLL_SECONDS)
    return response


_DRY_PHASES = (JobPhase.READING, JobPhase.CHECKING)


@login_required
@require_POST
def import_job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the file a background dry run found ready."""
    access = _access(request)
    job = selectors.import_job_get(access=access, pk=pk)
    if not (job.dry_run and job.state == JobState.DONE and job.ready):
        raise Invalid({"job": "Only a checked file with rows to import"})
    try:
        commit = services.import_start(
            access=access,
            organisation=job.organisation,
            filename=job.filename,
            token=job.token,
            suffix=job.suffix,
            mapping=job.mapping,
            file_digest=job.file_digest,
            dry_run=False,
        )
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("assets:import_job", pk=job.pk)
    return redirect("assets:import_job", pk=commit.pk)
