"""Where the programme answers lower steps' registrations: links beside each criterion of the self-assessment
to its published examples, and its paths in the registry's OpenAPI document."""

from __future__ import annotations

from flask import url_for
from flask_babel import ngettext

from labelapp.assessment import links
from labelapp.programme import openapi, queries
from labelapp.registry import openapi as registry_openapi


def example_links(criterion_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    return {criterion_id: [(ngettext("%(num)d published example of good practice",
                                     "%(num)d published examples of good practice", count),
                            url_for("programme.library", criterion=criterion_id))]
            for criterion_id, count in queries.counts_by_criterion(criterion_ids).items() if count}


def connect() -> None:
    links.register(example_links)
    registry_openapi.register_paths(openapi.PATHS, openapi.SCHEMAS)
