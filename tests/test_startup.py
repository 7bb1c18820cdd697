"""Commands and pages that read no survey file do not pay for pandas: it is imported only by the survey reader."""

import subprocess
import sys

CHECK = """
import sys
from labelapp import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
with app.app_context():
    app.test_cli_runner().invoke(args=["audit", "verify"])
print(sorted(name for name in ("pandas", "numpy", "openpyxl", "python_calamine") if name in sys.modules))
"""


def test_the_app_and_a_command_that_reads_no_survey_start_without_pandas():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_reading_a_survey_file_imports_pandas():
    out = subprocess.run([sys.executable, "-c", "import sys; import labelapp.surveys.analysis; "  # noqa: S603
                          "print('pandas' in sys.modules)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


LAZY = ("alembic", "flask_migrate", "pydantic", "yaml", "pyld", "jwt", "requests", "segno", "cryptography",
        "labelapp.criteria.schema", "labelapp.programme.schema")
CHECK_LAZY = f"""
import sys
from labelapp import create_app
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True}})
app.test_cli_runner().invoke(args=["users", "--help"])
print(sorted(name for name in {LAZY!r} if name in sys.modules))
"""


def test_the_app_starts_without_the_libraries_only_some_commands_and_pages_use():
    out = subprocess.run([sys.executable, "-c", CHECK_LAZY], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_db_commands_and_migrate_configuration_load_flask_migrate_when_used(tmp_path):
    from flask_migrate import current, upgrade

    from labelapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "x",
                      "TESTING": True})
    listed = app.test_cli_runner().invoke(args=["--help"])
    assert "Perform database migrations." in listed.output
    shown = app.test_cli_runner().invoke(args=["db", "--help"])
    assert shown.exit_code == 0 and "upgrade" in shown.output
    with app.app_context():
        upgrade()
        current()
    assert app.extensions["migrate"].directory.endswith("migrations")
    assert app.test_cli_runner().invoke(args=["db", "heads"]).exit_code == 0


def test_urls_are_built_as_werkzeug_builds_them_with_each_builder_compiled_on_first_use():
    from flask import Flask, url_for

    from labelapp import create_app

    def lazy(rule) -> bool:  # url_for uses the builder that appends unknown values as a query string
        return "LazyBuildRule" in rule._build_unknown.__func__.__qualname__

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    plain = Flask("plain")  # Werkzeug's own rules, builders compiled when added
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    for rule in rules:
        plain.add_url_rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods)
    assert len(rules) > 100 and all(lazy(rule) for rule in rules)
    with_values = [rule for rule in rules if rule.arguments]
    for rule in with_values:
        values = {name: "1" for name in rule.arguments}
        for extra in ({}, {"page": "2", "q": "ä b"}):
            with app.test_request_context():
                ours = url_for(rule.endpoint, **values, **extra)
            with plain.test_request_context():
                theirs = url_for(rule.endpoint, **values, **extra)
            assert ours == theirs, rule.rule
    assert with_values and not any(lazy(rule) for rule in with_values)


FROZEN = """
import gc, sys
from labelapp import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": sys.argv[1] == "testing"})
print(gc.isenabled(), gc.get_freeze_count() > 10_000)
"""


def test_the_objects_made_at_start_up_are_out_of_the_cycle_collectors_sight_except_in_tests():
    for mode, frozen in (("served", "True"), ("testing", "False")):
        out = subprocess.run([sys.executable, "-c", FROZEN, mode], capture_output=True, text=True,  # noqa: S603
                             check=True)
        assert out.stdout.strip().splitlines()[-1] == f"True {frozen}", mode


CHECK_GROUPS = """
import sys
from labelapp import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
app.test_cli_runner().invoke(args=["users", "--help"])
print(sorted(name for name in sys.modules if name.endswith(".cli") and name.startswith("labelapp.")))
"""


def test_a_command_loads_its_own_group_only():
    out = subprocess.run([sys.executable, "-c", CHECK_GROUPS], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip().splitlines()[-1] == "['labelapp.auth.cli']"


def test_every_group_is_listed_with_its_own_help_and_runs_with_its_own_commands():
    import importlib

    from labelapp import COMMANDS, create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    listed = app.test_cli_runner().invoke(args=["--help"]).output
    for name, (help_text, where, *_also) in COMMANDS.items():
        module, attribute = where.split(":")
        group = getattr(importlib.import_module(module), attribute)
        assert (group.name, group.help) == (name, help_text)
        assert f"  {name} " in listed
        shown = app.test_cli_runner().invoke(args=[name, "--help"])
        assert shown.exit_code == 0 and all(command in shown.output for command in group.commands), shown.output
    labels = app.test_cli_runner().invoke(args=["labels", "--help"]).output
    assert "verify-credential" in labels and "tick" in labels
