from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The reader's address, read through exactly TRUSTED_PROXY_COUNT proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is
    counted from the right; whatever a client wrote at the left cannot spoof it.
    """
    ip, _ = get_client_ip(request, proxy_count=settings.TRUSTED_PROXY_COUNT, proxy_order="right-most")
    return ip or request.META.get("REMOTE_ADDR", "")
