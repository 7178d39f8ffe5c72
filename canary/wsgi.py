import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canary.settings")
django_application = get_wsgi_application()

# Imported once the apps are loaded: the beacon's counting reads their models.
from readership.wsgi import answer_beacons  # noqa: E402

application = answer_beacons(django_application)
