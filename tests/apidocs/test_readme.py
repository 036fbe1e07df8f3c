"""The README stands alone for someone who clones the repository: nothing it or docs/ links to
lies outside the repository, and every file it links to exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_no_path_leaves_the_repository():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "../" not in text.replace(".../", ""), f"{page.name} points outside the repository"


def test_every_relative_link_exists():
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            assert (page.parent / target).resolve().is_relative_to(ROOT), (page.name, target)
            assert (page.parent / target).exists(), (page.name, target)


def test_readme_links_the_product_brief():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/product.md)" in readme
    product = (ROOT / "docs" / "product.md").read_text(encoding="utf-8")
    for chapter in ("## Users", "## Tenancy", "## Glossary", "## Journeys"):
        assert chapter in product
