"""Downloading a survey file from a URL without becoming a tool for reaching internal addresses (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from flask_babel import gettext as _


class FetchError(ValueError):
    pass


def _allowed(host: str, port: int | None, allowed_hosts: list[str]) -> bool:
    return host in allowed_hosts or f"{host}:{port}" in allowed_hosts


def check_url(url: str, allowed_hosts: list[str]) -> None:
    """Refuse non-HTTPS URLs and hosts resolving to private, loopback, link-local or reserved addresses, unless
    the host is in the allow-list (configuration SURVEY_URL_ALLOWED_HOSTS)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(_("%(url)s: only http(s) addresses with a host name can be imported", url=repr(url)))
    try:
        port = parts.port
    except ValueError as exc:
        raise FetchError(_("%(url)s: the port is not valid", url=repr(url))) from exc
    if _allowed(host, port, allowed_hosts):
        return
    if parts.scheme != "https":
        raise FetchError(_("%(url)s: use https://", url=repr(url)))
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(_("%(url)s: the host %(host)s cannot be resolved", url=repr(url), host=repr(host))) from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            raise FetchError(_("%(url)s: the host resolves to %(ip)s, an internal address; refused", url=repr(url),
                                   ip=str(ip)))


def download(url: str, target: Path, *, max_bytes: int, timeout: float, max_redirects: int,
             allowed_hosts: list[str]) -> str:
    """Save the body of ``url`` to ``target``, checking every redirect; return the final URL."""
    session = requests.Session()
    session.trust_env = False  # no proxies from the environment: the checked address is the one connected to
    for _hop in range(max_redirects + 1):
        check_url(url, allowed_hosts)
        try:
            response = session.get(url, stream=True, timeout=timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise FetchError(_("%(url)s: the download failed (%(error)s)", url=repr(url),
                                   error=f"{type(exc).__name__}: {exc}")) from exc
        with response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("Location", ""))
                continue
            if response.status_code != 200:
                raise FetchError(_("%(url)s: the server answered %(status)d", url=repr(url),
                                   status=response.status_code))
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_("%(url)s: the file is larger than %(n)d bytes", url=repr(url), n=max_bytes))
            size = 0
            with target.open("wb") as out:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(_("%(url)s: the file is larger than %(n)d bytes", url=repr(url), n=max_bytes))
                    out.write(chunk)
            return url
    raise FetchError(_("%(url)s: more than %(n)d redirects", url=repr(url), n=max_redirects))
