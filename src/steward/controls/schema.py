"""The catalogue's data files: their schema, and reading them.

Each framework is one YAML file in ``catalogue/``: a ``framework`` header,
its ``requirements`` (each with a stable URN,
``urn:steward:<framework>:<id>``, and the source paragraph it comes from)
and ``mappings`` from its requirements to other frameworks'. Reading a file
validates it against the models below; reading the whole catalogue also
checks that every mapping points at a requirement that exists. This module
imports no Django, so the files can be checked anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

CATALOGUE_DIR = Path(__file__).parent / "catalogue"

SLUG = r"[a-z][a-z0-9]*"
URN = re.compile(rf"^urn:steward:({SLUG}):[a-z0-9][a-z0-9.-]*$")

Kind = Literal[
    "section",
    "measure",
    "principle",
    "requirement",
    "objective",
    "outcome",
    "theme",
    "control",
]
Relation = Literal["equivalent", "subset", "superset", "related"]


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message says where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrameworkInfo(_Strict):
    slug: str = Field(pattern=rf"^{SLUG}$")
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    version: str = Field(min_length=1, max_length=40)
    published: dt.date | None = None
    source: str = Field(min_length=1)
    licence: str = Field(min_length=1)


class RequirementSpec(_Strict):
    urn: str = Field(pattern=URN.pattern)
    ref: str = Field(min_length=1, max_length=40)
    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    text: str = ""
    source: str = Field(min_length=1)
    parent: str | None = None
    mandatory: bool = False


class MappingSpec(_Strict):
    source: str = Field(pattern=URN.pattern)
    target: str = Field(pattern=URN.pattern)
    relation: Relation = "related"


class FrameworkFile(_Strict):
    framework: FrameworkInfo
    requirements: list[RequirementSpec] = Field(min_length=1)
    mappings: list[MappingSpec] = []

    @model_validator(mode="after")
    def _consistent(self) -> FrameworkFile:
        slug = self.framework.slug
        seen: set[str] = set()
        for req in self.requirements:
            if URN.match(req.urn).group(1) != slug:  # type: ignore[union-attr]
                raise ValueError(f"{req.urn} is not in framework {slug!r}")
            if req.urn in seen:
                raise ValueError(f"{req.urn} appears twice")
            # A parent comes before its children, so a loader can create
            # the rows in file order.
            if req.parent is not None and req.parent not in seen:
                raise ValueError(
                    f"{req.urn}: parent {req.parent} is not listed before it"
                )
            seen.add(req.urn)
        pairs = set()
        for m in self.mappings:
            if m.source not in seen:
                raise ValueError(
                    f"mapping source {m.source} is not a requirement here"
                )
            if (m.source, m.target) in pairs:
                raise ValueError(f"mapping {m.source} → {m.target} twice")
            pairs.add((m.source, m.target))
        return self

    @property
    def digest(self) -> str:
        """SHA-256 of the content (not the file's comments or layout):
        the same content loads as the same version."""
        canonical = self.model_dump_json().encode()
        return hashlib.sha256(canonical).hexdigest()


def read_framework(path: Path) -> FrameworkFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return FrameworkFile.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def read_catalogue(
    directory: Path = CATALOGUE_DIR,
) -> dict[str, FrameworkFile]:
    """Every framework file in ``directory`` by slug, with every mapping
    target checked against every file's requirements."""
    files: dict[str, FrameworkFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        fw = read_framework(path)
        slug = fw.framework.slug
        if path.stem != slug:
            raise CatalogueError(
                f"{path.name}: holds framework {slug!r}; name it {slug}.yaml"
            )
        files[slug] = fw
    check_mappings(files)
    return files


def check_mappings(files: dict[str, FrameworkFile]) -> None:
    urns = {r.urn for fw in files.values() for r in fw.requirements}
    for slug, fw in files.items():
        for m in fw.mappings:
            if m.target not in urns:
                raise CatalogueError(
                    f"{slug}.yaml: mapping target {m.target} does not exist"
                )
