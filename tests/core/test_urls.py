import pytest

from labelapp.core.urls import safe_next

TARGETS = ["/%0d%0aX:%20y", "/registry%0aSet-Cookie:%20a=b", "/a%09b", "/a%00b", "/a%7fb", "/a%c2%85b", "/a%c2%9bb"]


@pytest.mark.parametrize("target", TARGETS)
def test_next_with_a_control_character_in_the_query_is_refused_before_any_header(client, target):
    response = client.get(f"/language/en?next={target}")
    assert (response.status_code, response.headers.get("Location")) == (400, None)


@pytest.mark.parametrize("target", ["/\r\nX: y", "/registry\nSet-Cookie: a=b", "/a\tb", "/a\x00b", "/a\x7fb",
                                    "/a\x85b", "/a\x9bb"])
def test_next_from_a_form_with_a_control_character_falls_back_to_the_default_page(app, target):
    with app.test_request_context("/login", method="POST", data={"next": target}):
        assert safe_next() == "/"


def test_next_with_other_text_is_kept(client):
    response = client.get("/language/en?next=/registry%3Fq%3DT%C3%B5rva")
    assert (response.status_code, response.headers["Location"]) == (302, "/registry?q=T%C3%B5rva")
