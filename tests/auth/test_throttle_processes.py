"""Failed-login throttling holds across worker processes: attempts alternate between two gunicorn servers."""


import pytest
import requests

from tests.support.factories import PASSWORD
from tests.support.servers import GunicornServer
from tests.support.web import csrf_token


@pytest.fixture
def two_servers(database_url, instance_path, users):
    servers = [GunicornServer(database_url, instance_path) for _ in range(2)]
    try:
        yield [server.wait_ready() for server in servers]
    finally:
        for server in servers:
            server.stop()


def attempt(session: requests.Session, base: str, email: str, password: str) -> requests.Response:
    page = session.get(base + "/login", timeout=10)
    token = csrf_token(page.text)
    return session.post(base + "/login", data={"email": email, "password": password, "csrf_token": token},
                        allow_redirects=False, timeout=10)


def test_ten_wrong_passwords_over_two_processes_are_throttled(two_servers, users):
    session = requests.Session()
    statuses = []
    for number in range(10):
        server = two_servers[number % 2]
        statuses.append(attempt(session, server.url, users["staff"], f"wrong password, try {number}").status_code)
    # Five real failures (wherever they landed), then every further attempt is refused unchecked.
    assert statuses == [422] * 5 + [429] * 5
    # The right password is refused too while the lock lasts, on either process.
    for server in two_servers:
        assert attempt(session, server.url, users["staff"], PASSWORD).status_code == 429
