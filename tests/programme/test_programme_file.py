"""The programme file: the shipped one is valid against every criteria version; a wrong one is refused with the
place of every problem (``flask programme validate``, exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.programme.conftest import SHIPPED


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_file_is_valid(runner):
    result = runner.invoke(args=["programme", "validate", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "5 indicators" in result.output
    assert "WARN" not in result.output  # services.feedback is mapped for 2026.1


def _unknown_criterion(data):
    data["indicators"][0]["all"][0]["criterion"] = "communities.mapingg"


def _unknown_rename(data):
    data["renamed"] = [{"from": "services.feedback", "to": "services.nowhere"}]


def _no_english(data):
    del data["indicators"][1]["title"]["en"]


def _falling_target(data):
    data["targets"]["labels_awarded"] = {2025: 8, 2026: 3}


def _target_outside_years(data):
    data["targets"]["good_examples"] = {2030: 1}


def _no_condition(data):
    data["indicators"][2]["all"] = []


@pytest.mark.parametrize(("change", "where", "says"), [
    (_unknown_criterion, "indicators[0].all[0].criterion", "'communities.mapingg' is not a criterion of any"),
    (_unknown_rename, "renamed[0].to", "'services.nowhere' is not a criterion of any criteria version"),
    (_no_english, "indicators[1].title.en", "missing"),
    (_falling_target, "targets.labels_awarded", "must not fall"),
    (_target_outside_years, "targets.good_examples.2030", "is not one of the years"),
    (_no_condition, "indicators[2]", "at least one condition"),
])
def test_a_wrong_file_is_refused_naming_the_place(runner, tmp_path, change, where, says):
    result = runner.invoke(args=["programme", "validate", str(_write(tmp_path, change))])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if line.strip().startswith(where))
    assert says in line


def test_a_criterion_dropped_without_a_mapping_is_a_warning(runner, tmp_path):
    result = runner.invoke(args=["programme", "validate", str(_write(tmp_path, lambda d: d.update(renamed=[])))])
    assert result.exit_code == 0
    assert "criteria kaasav-omavalitsus 2026.1 has no 'services.feedback'" in result.output
