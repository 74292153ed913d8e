"""Loading the catalogue's data files into the database.

Every file is read and checked (schema, unique URNs, mapping targets)
before any is loaded, so a bad file loads nothing. Each framework is then
loaded in its own transaction by ``services.catalogue_load``.
"""

from __future__ import annotations

from pathlib import Path

from steward.controls.schema import CATALOGUE_DIR, read_catalogue
from steward.controls.services import LoadResult, catalogue_load
from steward.organisations.access import Access, system_access


def catalogue_install(
    *,
    access: Access | None = None,
    directory: Path = CATALOGUE_DIR,
    only: str | None = None,
) -> list[LoadResult]:
    """Install or upgrade every framework (or only the one with slug
    ``only``); loading the same files twice changes nothing."""
    files = read_catalogue(directory)
    if only is not None:
        if only not in files:
            raise KeyError(only)
        files = {only: files[only]}
    actor = access or system_access("catalogue-loader")
    return [catalogue_load(access=actor, spec=spec) for spec in files.values()]
