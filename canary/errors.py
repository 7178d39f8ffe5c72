"""Error pages in the site's own templates. The 500 page renders with no database."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, HttpResponseServerError
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.views import defaults

# Raised while the body is read, before any view runs: the form's own message cannot show.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    if isinstance(exception, TOO_LARGE):
        # Only the body was too big; the request is sound enough for the site's usual frame.
        context = {
            "limit_text": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "field_limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}",
        }
        return HttpResponse(render_to_string("413.html", context, request=request), status=413)
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html"))
