"""The beacon answered before Django's request handling: READERSHIP_BEACON_BEFORE_DJANGO.

A beacon needs none of what Django's handler builds around a view (the request object,
request_started and request_finished with their database and cache housekeeping, the
middleware chain), and on a viral day it is most of the site's requests. Wrapped around the
WSGI application (canary/wsgi.py), this answers the beacon's address itself with the same
204 the middleware gives and counts it with the same code (beacon.count); every other request
goes to Django untouched. With the setting off, the middleware answers (beacon.py), which is
also what runserver and the test client use. tests/test_readership_wsgi.py holds the two
paths to the same counts and answers; `make bench` measures both, so the shortcut stays only
while it pays.
"""

from django.conf import settings

from .beacon import beacon_path, count

NO_CONTENT = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]


def body_reader(environ):
    stream = environ["wsgi.input"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0

    def read(most):
        return stream.read(min(most, length)) if length > 0 else b""

    return read


def answer_beacons(application):
    def answering(environ, start_response):
        if environ.get("PATH_INFO") != beacon_path() or not settings.READERSHIP_BEACON_BEFORE_DJANGO:
            return application(environ, start_response)
        count(environ, body_reader(environ))
        start_response("204 No Content", list(NO_CONTENT))
        return [b""]

    return answering
