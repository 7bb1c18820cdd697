"""Forming a panel and filling in a review through the pages, as the coordinator and assessors do."""

import datetime as dt
import re

from labelapp.auth.services import find_user
from tests.support.web import csrf_token

DEADLINE = (dt.date.today() + dt.timedelta(days=20)).isoformat()


def ids(app, emails):
    with app.app_context():
        return [find_user(e).id for e in emails]


def form_panel(app, client, setup, members: list[str], chair: str):
    url = f"/applications/{setup['application']}/panel"
    page = client.get(url).get_data(as_text=True)
    member_ids = ids(app, members)
    return client.post(url, data={"csrf_token": csrf_token(page), "members": [str(i) for i in member_ids],
                                  "chair": str(ids(app, [chair])[0]), "deadline": DEADLINE})


def find_user_name(app, email: str) -> str:
    with app.app_context():
        return find_user(email).name


def review_data(client, url, level: str, comment: str, then: str) -> dict:
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "recommendation": "award", "comment": comment, "then": then}
    for field in re.findall(r'name="(level-[^"]+)"', page):
        data[field] = level
    return data
