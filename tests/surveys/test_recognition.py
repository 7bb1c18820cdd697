"""Columns are recognised by their values as well as their header, each with its reason; ambiguity is asked."""

from labelapp.surveys.recognise import recognise
from tests.support.web import csrf_token
from tests.surveys.corpus import FOLDER
from tests.surveys.test_views import upload


def roles_of(headers, rows, chosen=None):
    chosen = chosen or {}
    roles, reasons, ambiguous = recognise(headers, rows, {h: r for h, r in chosen.items() if r}, chosen)
    return roles, {h: str(reason) for h, reason in reasons.items()}, ambiguous


def test_answer_weight_and_subgroup_by_their_values(app):
    headers = ["EHAK", "Q7 Kuivõrd olete rahul …", "Vastaja sugu", "w_final", "id"]
    rows = [["0784", "Pigem rahul", "naine", "1,25", "1"], ["0784", "ÜLDSE POLE RAHUL", "mees", "0,8", "2"],
            ["0784", "don't know", "naine", "1,1", "3"]]
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        roles, reasons, ambiguous = roles_of(headers, rows, {"EHAK": "code"})
    assert roles == {"EHAK": "code", "Q7 Kuivõrd olete rahul …": "answer", "w_final": "weight",
                     "Vastaja sugu": "subgroup:gender"}
    assert reasons["Q7 Kuivõrd olete rahul …"] == "the values are answers on the national scale"
    assert ambiguous == []


def test_share_with_percent_and_the_count_beside_it(app):
    headers = ["KOV", "Q7_rahul, %", "Q7_N", "Aasta"]
    rows = [["Tallinn", "61,5 %", "812", "2024"], ["Tartu linn", "55", "402", "2024"]]
    with app.test_request_context():
        roles, _reasons, _ambiguous = roles_of(headers, rows, {"KOV": "municipality"})
    assert roles == {"KOV": "municipality", "Q7_rahul, %": "share", "Q7_N": "n"}


def test_preview_shows_each_role_and_why(client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = upload(client, (FOLDER / "question-text-headers.csv").read_bytes(), name="q.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "errors — nothing can be imported" not in page
    assert '<option selected value="answer">Answer</option>' in page
    assert "the values are answers on the national scale" in page
    assert '<option selected value="subgroup:language">' in page and "the header names it" in page
    assert ">Questionnaire language<" in page and "Questionnaire language: et" not in page  # chart + table


def test_two_answer_columns_are_asked_about_then_chosen(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    preview_url = upload(client, (FOLDER / "two-answer-columns.csv").read_bytes()).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "the columns &#39;Q7&#39;, &#39;Q8&#39; all hold answers on the national scale" in page
    assert "/confirm" not in page
    client.post(preview_url + "/mapping", data={"csrf_token": csrf_token(page), "column_0": "code",
                                                "column_1": "", "column_2": "answer"})
    page = client.get(preview_url).get_data(as_text=True)
    assert "/confirm" in page and "chosen by you" in page
    assert "100,0 %" in page or "100.0 %" in page
