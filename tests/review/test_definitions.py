"""docs/definitions.md is the registry's words: it fails when the page is stale."""

from __future__ import annotations

from caseboard.review import definitions
from caseboard.review.registry import METRICS


def test_the_definitions_page_is_up_to_date():
    # regenerate with: python -m caseboard.review.definitions
    assert definitions.PAGE.read_text() == definitions.markdown()


def test_every_metric_is_on_the_page_with_its_definition_and_source():
    page = definitions.markdown()
    for metric in METRICS.values():
        section = page.split(f"### {metric.label}\n", 1)[1].split("\n### ", 1)[0]
        assert metric.definition in section
        assert f"`{metric.key}`" in section
        assert (metric.view or metric.computed) in section
        if metric.pooled is not None:
            assert metric.pooled.formula in section


def test_the_readme_links_the_page_inside_the_repository():
    readme = (definitions.ROOT / "README.md").read_text()
    assert "(docs/definitions.md)" in readme
    assert "../shared/" not in readme
