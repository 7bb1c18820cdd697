"""What changed between two criteria versions, in lines a coordinator can read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

CRITERION_FIELDS = ("title", "guidance", "weight", "evidence_from_level", "levels")


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list):
        out = {}
        for index, inner in enumerate(value):
            out.update(_flatten(inner, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def _changes(old: Any, new: Any, prefix: str) -> list[str]:
    before, after = _flatten(old, prefix), _flatten(new, prefix)
    return [f"{key}: {before.get(key)!r} → {after.get(key)!r}"
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def diff(old: CriteriaFile, new: CriteriaFile) -> dict[str, list[str]]:
    """Sections 'added', 'removed', 'changed' (criteria), 'areas' and 'rules', each a list of lines."""
    old_criteria = {c.id: (a.id, c) for a, c in old.criteria()}
    new_criteria = {c.id: (a.id, c) for a, c in new.criteria()}
    result: dict[str, list[str]] = {"added": [], "removed": [], "changed": [], "areas": [], "rules": []}
    for cid in new_criteria.keys() - old_criteria.keys():
        area_id, criterion = new_criteria[cid]
        result["added"].append(f"{cid} (area {area_id}): {criterion.title.en}")
    for cid in old_criteria.keys() - new_criteria.keys():
        area_id, criterion = old_criteria[cid]
        result["removed"].append(f"{cid} (area {area_id}): {criterion.title.en}")
    for cid in sorted(old_criteria.keys() & new_criteria.keys()):
        (old_area, before), (new_area, after) = old_criteria[cid], new_criteria[cid]
        lines = [f"moved from area {old_area} to {new_area}"] if old_area != new_area else []
        for name in CRITERION_FIELDS:
            lines += _changes(before.model_dump(mode="json")[name], after.model_dump(mode="json")[name], name)
        if lines:
            result["changed"].append(f"{cid}: " + "; ".join(lines))
    old_areas = {a.id: a for a in old.areas}
    new_areas = {a.id: a for a in new.areas}
    for aid in sorted(old_areas.keys() | new_areas.keys()):
        if aid not in new_areas:
            result["areas"].append(f"{aid}: removed")
        elif aid not in old_areas:
            result["areas"].append(f"{aid}: added")
        else:
            dump = lambda a: a.model_dump(mode="json", exclude={"criteria"})  # noqa: E731
            lines = _changes(dump(old_areas[aid]), dump(new_areas[aid]), "")
            if lines:
                result["areas"].append(f"{aid}: " + "; ".join(line.lstrip(".") for line in lines))
    result["rules"] = _changes(old.award_rules.model_dump(mode="json"), new.award_rules.model_dump(mode="json"),
                               "award_rules") + _changes(old.panel.model_dump(mode="json"),
                                                         new.panel.model_dump(mode="json"), "panel")
    for section in ("added", "removed"):
        result[section].sort()
    return result
