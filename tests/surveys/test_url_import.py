"""Import from a URL: works against a local server on the allow-list; internal addresses are refused."""

import http.server
import os
import threading
import time

import pytest

from labelapp.surveys.fetch import FetchError, check_url
from tests.support.postgres import free_port

BODY = b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/survey.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/survey.csv")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass  # the client gave up
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def local_server():
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def config_overrides(local_server):
    return {"SURVEY_URL_ALLOWED_HOSTS": [local_server], "SURVEY_MAX_BYTES": 4096, "SURVEY_URL_DEADLINE_SECONDS": 1}


def test_import_from_an_allowed_local_server_with_a_redirect(app, runner, local_server):
    result = runner.invoke(args=["survey", "import", f"http://{local_server}/moved", "--wave", "2024"])
    assert result.exit_code == 0, result.output
    from labelapp.extensions import db
    from labelapp.surveys.models import SurveyWave

    with app.app_context():
        wave = db.session.query(SurveyWave).one()
        assert wave.origin == f"http://{local_server}/survey.csv"
        assert wave.results[0].value == 62.5


def test_redirect_to_an_internal_address_is_refused(app, runner, local_server):
    result = runner.invoke(args=["survey", "import", f"http://{local_server}/to-metadata", "--wave", "2024"])
    assert result.exit_code == 1
    assert "169.254.169.254" in result.output


def test_oversized_download_is_refused(runner, local_server):
    result = runner.invoke(args=["survey", "import", f"http://{local_server}/big", "--wave", "2024"])
    assert result.exit_code == 1
    assert "larger than 4096 bytes" in result.output


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x.csv", "https://127.0.0.1/x.csv", "https://localhost/x.csv", "https://10.1.2.3/x.csv",
    "https://192.168.1.1/x.csv", "https://172.16.0.1/x.csv", "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/x.csv", "https://[fd00::1]/x.csv", "https://2130706433/x.csv", "https://0177.0.0.1/x.csv",
    "https://0x7f.0.0.1/x.csv", "file:///etc/passwd", "ftp://example.org/x.csv", "https://0.0.0.0/x.csv",
    "https://[::ffff:127.0.0.1]/x.csv", "gopher://127.0.0.1/",
])
def test_hostile_urls_are_refused(url):
    with pytest.raises(FetchError):
        check_url(url, allowed_hosts=[])


def test_plain_http_to_a_public_host_is_refused():
    with pytest.raises(FetchError, match="use https"):
        check_url("http://example.org/x.csv", allowed_hosts=[])


@pytest.mark.parametrize("address", ["10.20.30.40", "fd12:3456::1", "169.254.169.254"])
def test_a_public_looking_name_that_resolves_inside_is_refused(monkeypatch, address):
    """DNS answers are checked, not only the name: the resolver is replaced to answer with an inside address."""
    import socket

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda host, *args, **kwargs: [(family, socket.SOCK_STREAM, 6, "", (address, 443))])
    with pytest.raises(FetchError):
        check_url("https://survey-data.example.org/x.csv", allowed_hosts=[])


@pytest.mark.parametrize("address", [
    "::127.0.0.1", "::10.0.0.1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::7f00:1", "64:ff9b:1:2::a00:1", "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::",
    "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:7f00:1::1",
])
def test_ipv6_forms_embedding_an_internal_ipv4_are_refused(address):
    with pytest.raises(FetchError, match="internal address"):
        check_url(f"https://[{address}]/x.csv", allowed_hosts=[])


@pytest.mark.parametrize("address", ["2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808"])
def test_ipv6_forms_of_public_addresses_are_accepted(address):
    check_url(f"https://[{address}]/x.csv", allowed_hosts=[])


def staging_files(app) -> list[str]:
    folder = os.path.join(app.instance_path, "uploads", "survey-staging")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_server_trickling_bytes_is_cut_off_at_the_deadline(app, runner, local_server):
    result = runner.invoke(args=["survey", "import", f"http://{local_server}/slow", "--wave", "2024"])
    assert result.exit_code == 1
    assert "did not finish within 1 seconds; nothing was imported" in result.output
    assert staging_files(app) == []


def test_a_server_below_the_minimum_rate_is_cut_off(app, runner, local_server):
    app.config.update(SURVEY_URL_DEADLINE_SECONDS=60, SURVEY_URL_MIN_BYTES_PER_SECOND=100,
                      SURVEY_URL_MIN_RATE_AFTER_SECONDS=0.5)
    result = runner.invoke(args=["survey", "import", f"http://{local_server}/slow", "--wave", "2024"])
    assert result.exit_code == 1
    assert "the server sends too slowly" in result.output
    assert staging_files(app) == []


def test_a_trickling_server_is_cut_off_in_the_web_import_too(app, client, login_as, local_server):
    from tests.support.web import submit

    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = submit(client, "/admin/surveys/import", {"year": "2024", "url": f"http://{local_server}/slow"})
    assert response.status_code == 422
    assert "did not finish within 1 seconds" in response.get_data(as_text=True)
    assert staging_files(app) == []
