"""Criteria tests run against a copy of the shipped criteria folder, so that they may change files in it."""

import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "criteria"


@pytest.fixture
def criteria_dir(tmp_path):
    target = tmp_path / "criteria"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def config_overrides(criteria_dir):
    return {"CRITERIA_DIR": str(criteria_dir)}
