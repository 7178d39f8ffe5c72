from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe


@require_safe
def security_txt(request):
    """RFC 9116: where to report a vulnerability. The expiry moves forward with each deploy."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0).isoformat()
    body = f"Contact: {settings.SECURITY_CONTACT}\nExpires: {expires}\nPreferred-Languages: en\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")
