import pytest


@pytest.mark.parametrize("target", ["/%0d%0aX:%20y", "/registry%0aSet-Cookie:%20a=b", "/a%09b", "/a%00b", "/a%7fb",
                                    "/a%c2%85b", "/a%c2%9bb"])
def test_next_with_a_control_character_falls_back_to_the_default_page(client, target):
    response = client.get(f"/language/en?next={target}")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_next_with_other_text_is_kept(client):
    response = client.get("/language/en?next=/registry%3Fq%3DT%C3%B5rva")
    assert (response.status_code, response.headers["Location"]) == (302, "/registry?q=T%C3%B5rva")
