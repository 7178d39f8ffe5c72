"""Pictures downloaded from the old site: from the public internet only.

An export is a file anyone could have written, so its addresses may point at this machine, the
office network or a cloud's metadata service. A host name is looked up once, every address it
has must be public, and the connection goes to the address that was checked (the Host header and
TLS name stay the original ones), so a second, different answer from DNS cannot slip in.
Redirects are followed by hand, each hop checked again; proxies from the environment are not
used; the whole download has one time limit and one size limit. A refused address and an
unreachable one give the same warning, so the import tells nothing about what answers inside.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 65_536


class MediaMissing(Exception):
    """A picture that could not be had; the message says why."""


def is_public(address):
    """True for an address on the public internet; an IPv4 address inside IPv6 is judged as IPv4."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def public_addresses(host, port):
    """The addresses a host may be downloaded from: all of them public, or none at all.

    This is the one look-up a download makes for a host, and the importer's only seam: a test
    passes its own function to reach a server on 127.0.0.1 under a made-up public name.
    """
    try:
        found = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (OSError, UnicodeError):
        return []
    # One private address among public ones refuses the host: it could be chosen to connect.
    return found if found and all(is_public(address.split("%")[0]) for address in found) else []


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to a checked address, whatever the host name would resolve to now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def download(url, limit, addresses=public_addresses):
    """The bytes at an http(s) URL, at most `limit` of them, from public addresses only."""
    deadline = time.monotonic() + settings.WORDPRESS_DOWNLOAD_TIMEOUT
    for _hop in range(settings.WORDPRESS_DOWNLOAD_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MediaMissing("its address is not http or https")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise MediaMissing("its address is not http or https") from None
        found = addresses(parts.hostname, port)
        if not found:
            raise MediaMissing("could not be downloaded (no public address)")
        connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        try:
            connection = connection_class(parts.hostname, port, found[0], _left(deadline))
            try:
                status, location, data = _get(connection, parts, limit, deadline)
            finally:
                connection.close()
        except (OSError, http.client.HTTPException, ValueError):
            # Refused, timed out, reset or garbled: one message, so nothing is learnt from it.
            raise MediaMissing("could not be downloaded (no answer)") from None
        if status == 200:
            return data
        if status not in REDIRECTS or not location:
            raise MediaMissing(f"could not be downloaded (HTTP {status})")
        url = urljoin(url, location)
    raise MediaMissing("could not be downloaded (too many redirects)")


def _get(connection, parts, limit, deadline):
    """(status, Location, body): the body is read only for a 200, and never past the limit."""
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~") + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", target, headers={"User-Agent": "Canary WordPress import"})
    connection.sock.settimeout(_left(deadline))
    response = connection.getresponse()
    if response.status != 200:
        return response.status, response.getheader("Location"), b""
    length = response.getheader("Content-Length", "")
    too_large = MediaMissing(f"is larger than {limit // 1_048_576} MB")
    if length.isdigit() and int(length) > limit:
        raise too_large
    data = bytearray()
    # read1 makes at most one wait on the socket, whose timeout is what was left when the answer
    # began: a server sending a byte at a time is cut off by the deadline, not kept reading.
    while chunk := response.read1(min(CHUNK, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            raise too_large
        _left(deadline)
    return 200, None, bytes(data)


def _left(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
