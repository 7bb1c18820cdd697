"""Links a later step adds beside each criterion of the self-assessment (e.g. published examples of it), without
this package importing that step: it registers a provider in ``create_app``."""

from __future__ import annotations

from collections.abc import Callable

# provider(criterion ids) -> {criterion id: [(link text, url), ...]}; one query per provider at most.
Provider = Callable[[list[str]], dict[str, list[tuple[str, str]]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def for_criteria(criterion_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for provider in _providers:
        for criterion_id, links in provider(criterion_ids).items():
            found.setdefault(criterion_id, []).extend(links)
    return found
