"""gunicorn's entry point for the reference view (see bench/reference.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.reference"
application = get_wsgi_application()
