from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The reader's address, read through exactly TRUSTED_PROXY_COUNT proxies by django-ipware.

    With no trusted proxy, X-Forwarded-For is ignored: anyone can write it. Behind N proxies
    each appends the address it saw, so the header holds exactly N addresses, the client's
    first (ipware counts the N - 1 proxies after it, strictly). A header with extra entries
    written by the client fails that check, and the address falls back to the proxy's own,
    so a forged header can never choose which rate-limit bucket its sender lands in.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        ip, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    else:
        ip, _ = get_client_ip(request, proxy_count=proxies - 1, proxy_order="left-most", strict=True)
    return ip or request.META.get("REMOTE_ADDR", "")
