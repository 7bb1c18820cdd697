"""Clients that use a gunicorn-served app over HTTP, as browsers do (CSRF tokens, optimistic-lock versions)."""

from __future__ import annotations

import random
import re

import requests

from tests.support.factories import PASSWORD
from tests.support.web import csrf_token

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
LEVEL_FIELDS = re.compile(r'name="(level-[^"]+)"[^>]*value="(\d+)"')


def logged_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    response = session.post(base + "/login", data={"email": email, "password": PASSWORD,
                                                   "csrf_token": csrf_token(page.text)},
                            allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:500]
    return session


class AreaForm:
    """One load of a self-assessment area page: its token, the version it was read at and its level fields."""

    def __init__(self, session: requests.Session, url: str) -> None:
        self.session, self.url = session, url
        page = session.get(url, timeout=60)
        assert page.status_code == 200, page.status_code
        self.token = csrf_token(page.text)
        match = VERSION.search(page.text)
        self.version = match.group(1) or match.group(2)
        self.levels: dict[str, list[str]] = {}
        for name, value in LEVEL_FIELDS.findall(page.text):
            self.levels.setdefault(name, []).append(value)

    def random_answers(self, rng: random.Random, note: str) -> dict[str, str]:
        data = {}
        for name, values in self.levels.items():
            data[name] = rng.choice(values)
            data[name.replace("level-", "comment-", 1)] = f"{note} {rng.randrange(10**6)}"
        return data

    def post(self, answers: dict[str, str]) -> requests.Response:
        return self.session.post(self.url, data={"csrf_token": self.token, "version": self.version, **answers},
                                 allow_redirects=False, timeout=60)
