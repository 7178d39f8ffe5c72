from django.urls import path

from . import beacon

app_name = "readership"

urlpatterns = [
    path("count/", beacon.beacon, name="beacon"),
]
