"""Error pages in the site's own templates. The 500 page renders with no database."""

from django.http import HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html"))
