import ipaddress

from django.conf import settings


def client_ip(request):
    return client_ip_of(request.META)


def client_ip_of(meta):
    """The reader's address: the one the outermost of TRUSTED_PROXY_COUNT proxies saw.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the header's last N
    entries are theirs and the N-th from the right is the client. Entries to its left are
    whatever the client wrote and are never read: a forged header can neither choose its
    sender's rate-limit bucket nor push every such client into the proxy's one shared bucket.
    django-axes reads the address here too (AXES_CLIENT_IP_CALLABLE). With no trusted proxy,
    X-Forwarded-For is ignored: anyone can write it.
    """
    remote = meta.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote  # no proxy in between: the connection's own address
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than proxies: the request joined the chain part-way; the first is the client.
    seen = entries[max(0, len(entries) - proxies)]
    # Only a misconfigured proxy writes something that is not an address.
    return _address(seen) or remote


def _address(entry):
    """An address as a proxy wrote it, with any port it added ("192.0.2.1:5123", "[2001:db8::1]:443")."""
    if entry.startswith("["):
        entry = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None
