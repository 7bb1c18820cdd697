"""Downloading a survey file from a URL without becoming a tool for reaching internal addresses (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from flask_babel import gettext as _


class FetchError(ValueError):
    pass


# IPv6 ranges that carry an IPv4 address inside: the IPv4 address is what a relay or translator connects to.
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")  # embedding is site-specific: refused whole
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _refused_ipv4(ip: ipaddress.IPv4Address) -> bool:
    return not ip.is_global or ip.is_multicast


def refused_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is internal: private, loopback, link-local, reserved or multicast, or an IPv6 address that
    embeds such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo)."""
    if ip.version == 4:
        return _refused_ipv4(ip)
    if not ip.is_global or ip.is_multicast or ip in NAT64_LOCAL_USE:
        return True
    embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64_WELL_KNOWN or ip in IPV4_COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return any(v4 is not None and _refused_ipv4(v4) for v4 in embedded)


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
        if refused_address(ip):
            raise FetchError(_("%(url)s: the host resolves to %(ip)s, an internal address; refused", url=repr(url),
                                   ip=str(ip)))


def download(url: str, target: Path, *, max_bytes: int, timeout: float, max_redirects: int,
             allowed_hosts: list[str], deadline: float, min_rate: float = 0, min_rate_after: float = 0) -> str:
    """Save the body of ``url`` to ``target``, checking every redirect; return the final URL.

    The whole download (redirects included) must end within ``deadline`` seconds, and after ``min_rate_after``
    seconds it must have averaged at least ``min_rate`` bytes per second: a server that trickles bytes cannot
    hold a worker. Each read waits at most ``timeout`` seconds (less when the deadline is nearer).
    """
    session = requests.Session()
    session.trust_env = False  # no proxies from the environment: the checked address is the one connected to
    started = time.monotonic()
    for _hop in range(max_redirects + 1):
        check_url(url, allowed_hosts)
        remaining = deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise _too_slow(url, deadline)
        try:
            response = session.get(url, stream=True, timeout=min(timeout, remaining), allow_redirects=False)
        except requests.RequestException as exc:
            if time.monotonic() - started >= deadline:
                raise _too_slow(url, deadline) from exc
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
            if declared and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_("%(url)s: the file is larger than %(n)d bytes", url=repr(url), n=max_bytes))
            _save(response, url, target, max_bytes, started, deadline, min_rate, min_rate_after)
            return url
    raise FetchError(_("%(url)s: more than %(n)d redirects", url=repr(url), n=max_redirects))


def _save(response, url: str, target: Path, max_bytes: int, started: float, deadline: float, min_rate: float,
          min_rate_after: float) -> None:
    size = 0
    with target.open("wb") as out:
        while True:
            try:
                # read1 returns what has arrived (up to 64 KiB) instead of waiting to fill the chunk, so the
                # clock is looked at after every read however slowly the bytes come.
                chunk = response.raw.read1(64 * 1024, decode_content=True)
            except (requests.RequestException, OSError, ValueError) as exc:
                if time.monotonic() - started >= deadline:
                    raise _too_slow(url, deadline) from exc
                raise FetchError(_("%(url)s: the download failed (%(error)s)", url=repr(url),
                                   error=type(exc).__name__)) from exc
            if not chunk:
                return
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_("%(url)s: the file is larger than %(n)d bytes", url=repr(url), n=max_bytes))
            out.write(chunk)
            elapsed = time.monotonic() - started
            if elapsed >= deadline:
                raise _too_slow(url, deadline)
            if min_rate and elapsed >= min_rate_after and size < min_rate * elapsed:
                raise FetchError(_("%(url)s: the server sends too slowly (%(rate)d bytes per second; at least "
                                   "%(min)d are needed); nothing was imported", url=repr(url),
                                   rate=int(size / elapsed), min=int(min_rate)))


def _too_slow(url: str, deadline: float) -> FetchError:
    return FetchError(_("%(url)s: the download did not finish within %(seconds)d seconds; nothing was imported",
                        url=repr(url), seconds=round(deadline)))
