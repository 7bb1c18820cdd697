"""Every message in the code and templates is in the Estonian catalogue, translated."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("labelapp/**.py", "python"), ("labelapp/templates/**.html", "jinja2"),
           ("labelapp/templates/**.txt", "jinja2"), ("labelapp/templates/**.svg", "jinja2"),
           ("labelapp/templates/**.xml", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extracted_ids() -> set[str]:
    ids = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=lambda path: ".venv" not in path
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_estonian_catalogue_covers_every_message():
    with open(ROOT / "labelapp/translations/et/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and m.string
                  and not m.fuzzy}
    missing = sorted(extracted_ids() - translated)
    assert missing == [], "run `make extract-messages` and translate: " + repr(missing)
    assert len(extracted_ids()) > 150
