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
