"""People read words, not codes: indicator, shape, role and subgroup names are translated."""

from tests.support.web import csrf_token
from tests.surveys.test_views import upload

RESPONDENTS = ("ehak;vastus;keel\n" + "0784;Pigem rahul;et\n" * 12 + "0784;Pigem ei ole rahul;ru\n" * 3).encode()


def page_for(client, content, lang):
    client.set_cookie("lang", lang)
    preview_url = upload(client, content).headers["Location"]
    return preview_url, client.get(preview_url).get_data(as_text=True)


def test_preview_and_wave_page_show_words_in_english(client, login_as):
    login_as("coordinator")
    preview_url, page = page_for(client, RESPONDENTS, "en")
    for word in ("respondent-level (one row per respondent)", "Satisfaction with how the municipality involves "
                 "residents", "Questionnaire language", "2 groups have fewer than 30 respondents and are not shown."):
        assert word in page
    for code in ("engagement_satisfaction", "<dd>respondents</dd>", "<small>language:"):
        assert code not in page
    client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    waves = client.get("/admin/surveys/").get_data(as_text=True)
    assert "respondent-level (one row per respondent)" in waves
    history = client.get("/admin/surveys/municipalities/0784").get_data(as_text=True)
    assert "Satisfaction with how the municipality involves residents" in history
    assert "engagement_satisfaction" not in history


def test_preview_in_estonian_has_estonian_words_and_decimal_commas(client, login_as):
    login_as("coordinator")
    _url, page = page_for(client, RESPONDENTS, "et")
    for word in ("vastajapõhine", "Küsitluse keel", "2 rühma on alla 30 vastaja ja neid ei näidata.",
                 "Rahulolu sellega, kuidas omavalitsus elanikke kaasab"):
        assert word in page
    assert "engagement_satisfaction" not in page


def test_missing_columns_are_named_in_words(client, login_as):
    login_as("coordinator")
    _url, page = page_for(client, b"ehak;kaal\n0784;1\n", "en")
    assert "missing required column(s): Answer" in page
