"""Fixtures for the discovery tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.discovery.files import build_tree


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[Path, list[str]]:
    """A directory with every supported format and its planted values."""
    root = tmp_path_factory.mktemp("tree")
    planted, _ = build_tree(root)
    return root, planted
