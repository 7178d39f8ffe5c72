from django.urls import path

from . import beacon, views

app_name = "readership"

urlpatterns = [
    path("count/", beacon.beacon, name="beacon"),
    path("most-read/", views.most_read_fragment, name="most-read"),
]
