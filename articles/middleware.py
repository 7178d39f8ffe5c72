from django.http import HttpResponsePermanentRedirect

from .models import OldPath


class OldPathMiddleware:
    """Answer a 404 with a 301 when the path is one we used to publish under."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        old = OldPath.objects.filter(path=request.path).first()
        url = old.target_url() if old else None
        if not url or url == request.path:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
