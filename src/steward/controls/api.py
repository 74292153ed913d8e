"""API for the standards catalogue and organisations' procedure coverage.

Handlers are thin: they call the same selectors as the pages.
"""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from steward.common.pagination import Pages
from steward.controls import selectors
from steward.organisations import selectors as org_selectors
from steward.organisations.access import Access

router = Router(tags=["standards"])


def _access(request: HttpRequest) -> Access:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class FrameworkOut(Schema):
    slug: str = Field(..., alias="framework.slug")
    title: str
    publisher: str = Field(..., alias="framework.publisher")
    version: str
    is_current: bool
    digest: str


class RequirementOut(Schema):
    urn: str
    ref: str
    kind: str
    title: str
    text: str
    source: str
    mandatory: bool


class MappingOut(Schema):
    source: str
    target: str
    relation: str


class FrameworkDetailOut(Schema):
    slug: str
    title: str
    publisher: str
    version: str
    is_current: bool
    digest: str
    requirements: list[RequirementOut]
    mappings: list[MappingOut]


class ProcedureOut(Schema):
    id: int
    title: str
    version: str
    owner: str = Field(..., alias="owner.full_name")
    next_review: dt.date


class CoverageOut(Schema):
    organisation: str
    mandatory: int
    covered: int
    uncovered: list[str]
    overdue: list[ProcedureOut]
    current: list[ProcedureOut]


@router.get(
    "/frameworks",
    response=list[FrameworkOut],
    summary="The current version of every framework in the catalogue",
)
@paginate(Pages)
def framework_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.framework_list(access=_access(request))


@router.get(
    "/frameworks/{slug}",
    response=FrameworkDetailOut,
    summary="A framework version (current unless named) in full",
)
def framework_get(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, version: str = ""
):
    access = _access(request)
    found = selectors.framework_version_get(
        access=access, slug=slug, version=version or None
    )
    return {
        "slug": found.framework.slug,
        "publisher": found.framework.publisher,
        "title": found.title,
        "version": found.version,
        "is_current": found.is_current,
        "digest": found.digest,
        "requirements": list(
            selectors.requirement_list(access=access, version=found)
        ),
        "mappings": [
            {
                "source": m.source.urn,
                "target": m.target_urn,
                "relation": m.relation,
            }
            for m in selectors.mapping_list(access=access, version=found)
        ],
    }


@router.get(
    "/organisations/{code}/coverage",
    response=CoverageOut,
    summary="Mandatory requirements without a current procedure, and "
    "procedures overdue review",
)
def coverage_get(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    access = _access(request)
    organisation = org_selectors.organisation_get(access=access, code=code)
    c = selectors.procedure_coverage(access=access, organisation=organisation)
    return {
        "organisation": organisation.code,
        "mandatory": len(c.mandatory),
        "covered": c.covered_count,
        "uncovered": [r.urn for r in c.uncovered],
        "overdue": c.overdue,
        "current": c.current,
    }
