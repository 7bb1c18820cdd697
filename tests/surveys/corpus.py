"""The survey test corpus: realistic files as survey providers send them, and the files that once crashed the
import. ``python -m tests.surveys.corpus`` writes them to tests/surveys/files/; test_corpus.py checks that the
committed files are exactly what this generator makes, so the folder and the generator never drift apart.

Each entry: file name -> (bytes, what the import must do). What it must do is either ("ok", {code: (value, n,
flag)}) or ("error", text that the report's errors contain)."""

from __future__ import annotations

import random
from pathlib import Path

FOLDER = Path(__file__).parent / "files"
SCALE = ["Väga rahul", "Pigem rahul", "Pigem ei ole rahul", "Üldse pole rahul", "Ei oska öelda"]


def _csv(rows: list[list[str]], sep: str = ";", title: list[str] | None = None) -> str:
    return "\n".join((title or []) + [sep.join(row) for row in rows]) + "\n"


def _respondents(count: int, seed: int, code: str = "0784", name: str = "Tallinn") -> list[list[str]]:
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not secrets)
    return [[code, name, rng.choice(SCALE[:4]), f"{rng.uniform(0.5, 1.5):.3f}".replace(".", ",")]
            for _ in range(count)]


def mixed_encoding() -> bytes:
    """Valid UTF-8 (with Estonian letters) for the first 64 KiB, then one Windows-1257 line."""
    rows = [["EHAK", "Omavalitsus", "Vastus", "Kaal"]] + _respondents(2000, 1, "0618", "Põltsamaa vald")
    body = _csv(rows).encode("utf-8")
    assert len(body) > 64 * 1024
    return body + "0618;Põltsamaa vald;Üldse pole rahul;1\n".encode("cp1257")


def late_windows_1257() -> bytes:
    """ASCII only for the first 64 KiB, then Estonian letters in Windows-1257: the whole file is Windows-1257."""
    rows = [["EHAK", "Vastus", "Kaal"]] + [["0784", "Pigem rahul", "1"]] * 4000
    body = _csv(rows).encode("ascii")
    assert len(body) > 64 * 1024
    return body + "0784;Üldse pole rahul;1\n".encode("cp1257") * 10


def pdf() -> bytes:
    """A PDF uploaded instead of the table: binary stream bytes Windows-1257 does not define."""
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 44 /Filter /FlateDecode >>\nstream\n"
            b"x\x9c\x81\x83\x88\x8a\x90\x98stream-data\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def quoted_newline_in_header() -> bytes:
    rows = [['"EHAK\nkood"', '"Rahulolevate\nosakaal"', "Vastajaid"], ["0784", "61,5", "812"],
            ["0793", "55,0", "402"]]
    return _csv(rows, title=["Elanike rahulolu 2024"]).encode("utf-8")


def line_separator_in_title() -> bytes:
    rows = [["EHAK", "Osakaal", "n"], ["0784", "61,5", "812"]]
    return _csv(rows, title=["Elanike rahulolu uuring\u2028Tabel 3: kaasamine", ""]).encode("utf-8")


def huge_n() -> bytes:
    return _csv([["EHAK", "Osakaal", "n"], ["0784", "61,5", "812"], ["0793", "55", "99999999999999999999999"]]) \
        .encode("utf-8")


def zero_weights() -> bytes:
    rows = [["EHAK", "Vastus", "Kaal"]] + [["0784", "Pigem rahul", "0"]] * 40 + [["0793", "Pigem rahul", "1"]] * 30
    return _csv(rows).encode("utf-8")


def blank_answers_and_unmatched_names() -> bytes:
    rows = [["EHAK", "Omavalitsus", "Vastus", "Kaal"]] + _respondents(30, 2) + [["0784", "Tallinn", "", "1"]] * 3 + \
        [["", "Tallina linnn", "Väga rahul", "1,4"]]
    return _csv(rows).encode("utf-8")


def windows_1257_tab_with_title() -> bytes:
    rows = [["KOV", "Vastus", "Kaal"]] + [["Põltsamaa vald", "Pigem rahul", "1,5"]] * 20 + \
        [["Põltsamaa vald", "Üldse pole rahul", "0,5"]] * 20
    return _csv(rows, sep="\t", title=["Elanike rahulolu uuring 2024", ""]).encode("cp1257")


def _question_text_rows() -> list[list[str]]:
    rng = random.Random(3)  # noqa: S311  (reproducible test data, not secrets)
    rows = []
    for code, name in (("0784", "Tallinn"), ("0793", "Tartu linn")):
        for index in range(40):
            rows.append([code, name, SCALE[(index + int(code)) % 5], "et" if index % 4 else "ru",
                         f"{rng.uniform(0.5, 1.5):.2f}".replace(".", ",")])
    return rows


def question_text_headers() -> bytes:
    """Respondent file from the survey provider: the answer column is named by its question, weights and the
    questionnaire language have their own words."""
    header = ["EHAK", "Omavalitsus", "Q7 Kuivõrd olete rahul sellega, kuidas omavalitsus teid kaasab?",
              "Ankeedi keel", "Kaalukordaja"]
    return _csv([header] + _question_text_rows(), title=["Elanike rahulolu uuring 2024, vastajate andmed"]) \
        .encode("utf-8")


def _by_hand(rows: list[list[str]]) -> dict[str, tuple]:
    """The weighted share satisfied per code, summed in plain Python (the oracle for question_text_headers)."""
    out = {}
    for code in sorted({r[0] for r in rows}):
        mine = [(r[2], float(r[4].replace(",", "."))) for r in rows if r[0] == code and r[2] != "Ei oska öelda"]
        satisfied = sum(w for answer, w in mine if answer in ("Väga rahul", "Pigem rahul"))
        out[code] = (round(100 * satisfied / sum(w for _a, w in mine), 2), len(mine), "ok")
    return out


def question_code_percent_shares() -> bytes:
    """Aggregated file whose share and count columns are named by question code, the share with a % sign."""
    rows = [["KOV kood", "KOV", "Q7_rahul, %", "Q7_N"], ["0784", "Tallinn", "61,5 %", "812"],
            ["0793", "Tartu linn", "55,0 %", "402"], ["0478", "Muhu vald", "71,0 %", "18"]]
    return _csv(rows, title=["Tabel 2. Rahulolu kaasamisega omavalitsuseti", ""]).encode("cp1257")


def two_answer_columns() -> bytes:
    rows = [["EHAK", "Q7", "Q8"]] + [["0784", "Pigem rahul", "Väga rahul"]] * 5
    return _csv(rows).encode("utf-8")


CORPUS = {
    "question-text-headers.csv": (question_text_headers, ("ok", _by_hand(_question_text_rows()))),
    "question-code-percent-shares.csv": (question_code_percent_shares, ("ok", {
        "0784": (61.5, 812, "ok"), "0793": (55.0, 402, "ok"), "0478": (71.0, 18, "insufficient")})),
    "two-answer-columns.csv": (two_answer_columns, ("error", "the columns 'Q7', 'Q8' all hold answers on the "
                                                             "national scale; choose which one is the answer")),
    "mixed-encoding.csv": (mixed_encoding, ("error", "the file mixes encodings: it is UTF-8 up to line 2002, "
                                                     "where byte 7 (0xF5) is not")),
    "late-windows-1257.csv": (late_windows_1257, ("ok", {"0784": (99.75, 4010, "ok")})),
    "survey.pdf": (pdf, ("error", "this is not a text or spreadsheet file (CSV, XLSX, XLS or ODS): line 6, "
                                  "byte 2 (0x9C) is neither UTF-8 nor Windows-1257")),
    "quoted-newline-in-header.csv": (quoted_newline_in_header, ("ok", {"0784": (61.5, 812, "ok"),
                                                                       "0793": (55.0, 402, "ok")})),
    "line-separator-in-title.csv": (line_separator_in_title, ("ok", {"0784": (61.5, 812, "ok")})),
    "huge-n.csv": (huge_n, ("error", "row 3, column 'n': '99999999999999999999999': "
                                     "expected a whole number from 1 to 2147483647")),
    "zero-weights.csv": (zero_weights, ("ok", {"0784": (0.0, 0, "insufficient"), "0793": (100.0, 30, "ok")})),
    "blank-answers-unmatched-name.csv": (blank_answers_and_unmatched_names, (
        "error", "row 35, column 'Omavalitsus': 'Tallina linnn': not a known municipality name")),
    "windows-1257-tab-title.txt": (windows_1257_tab_with_title, ("ok", {"0618": (75.0, 40, "ok")})),
}


def write(folder: Path = FOLDER) -> None:
    folder.mkdir(exist_ok=True)
    for name, (make, _expected) in CORPUS.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    write()
