from pathlib import Path

import pytest
from sqlalchemy import func, select

from labelapp.extensions import db
from labelapp.municipalities import services
from labelapp.municipalities.lookup import by_code
from labelapp.municipalities.models import Municipality

HEADER = "country\tcode\tname\tregion\tkind\n"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Municipality))


def test_bundled_list_has_79_estonian_municipalities(app):
    with app.app_context():
        assert count() == 79
        kinds = dict(db.session.execute(select(Municipality.kind, func.count()).group_by(Municipality.kind)).all())
        assert kinds == {"linn": 15, "vald": 64}
        assert by_code("0784", "EE").name == "Tallinn"


def test_codes_keep_their_leading_zero_and_dropped_zero_is_found(app):
    with app.app_context():
        assert by_code("478", "EE").code == "0478"
        assert by_code("0478", "EE").name == "Muhu vald"
        assert by_code("9999", "EE") is None


def test_loading_twice_changes_nothing(app, runner):
    result = runner.invoke(args=["municipalities", "load"])
    assert result.exit_code == 0
    assert "0 added, 0 updated, 79 unchanged" in result.output
    with app.app_context():
        assert count() == 79


def test_another_country_is_just_another_file(app, runner, tmp_path):
    path = tmp_path / "lv.tsv"
    path.write_text(HEADER + "LV\t0001000\tRīga\tRīga\tvalstspilsēta\n", encoding="utf-8")
    result = runner.invoke(args=["municipalities", "load", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert by_code("0001000", "LV").name == "Rīga"
        assert count() == 80


def test_changed_name_is_updated(app, runner, tmp_path):
    path = tmp_path / "ee.tsv"
    path.write_text(HEADER + "EE\t0784\tTallinna linn\tHarju maakond\tlinn\n", encoding="utf-8")
    assert "1 updated" in runner.invoke(args=["municipalities", "load", str(path)]).output
    with app.app_context():
        assert by_code("0784", "EE").name == "Tallinna linn"


@pytest.mark.parametrize("body,message", [
    ("country\tcode\tname\n", "missing column(s) region, kind"),
    (HEADER, "no rows below the header"),
    (HEADER + "EE\t\tNimetu\tHarju maakond\tvald\n", "row 2, column code: empty"),
    (HEADER + "EST\t0001\tX\tY\tvald\n", "row 2, column country: 'EST' is not a two-letter country code"),
    (HEADER + "EE\t0001\tX\tY\tvald\nEE\t0001\tZ\tY\tvald\n", "row 3, column code: '0001' repeats row 2"),
])
def test_bad_file_is_refused_with_row_and_column_and_nothing_written(app, runner, tmp_path, body, message):
    path = tmp_path / "bad.tsv"
    path.write_text(body, encoding="utf-8")
    result = runner.invoke(args=["municipalities", "load", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output
    assert message in result.output
    with app.app_context():
        assert count() == 79


def test_bad_row_after_good_rows_writes_nothing(app, tmp_path):
    path = tmp_path / "half.tsv"
    path.write_text(HEADER + "LV\t0001000\tRīga\tRīga\tpilsēta\nLV\t\tX\tY\tZ\n", encoding="utf-8")
    with app.app_context():
        with pytest.raises(services.MunicipalityFileError):
            services.load(Path(path))
        db.session.rollback()
        assert count() == 79
