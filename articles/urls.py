from django.urls import path, register_converter

from . import views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "dd")

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("archive/<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), name="month"),
    path("about/<slug:slug>/", views.PageView.as_view(), name="page"),
]
