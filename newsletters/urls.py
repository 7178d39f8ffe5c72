from django.urls import path
from django.views.decorators.cache import cache_control

from . import account, leaving_views, views

# The list and archives are the same for everyone: the page cache may keep them.
public = cache_control(public=True)

app_name = "newsletters"
urlpatterns = [
    path("", public(views.index), name="index"),
    path("token/", views.token, name="token"),
    path("sign-up/check/", views.check, name="check"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("check-your-email/", public(views.check_email), name="check-email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("leave/<str:token>/", leaving_views.leave, name="leave"),
    path("preferences/<str:token>/", leaving_views.preferences, name="preferences"),
    path("account/<int:newsletter_id>/subscribe/", account.subscribe, name="account-subscribe"),
    path("account/<int:newsletter_id>/leave/", account.leave, name="account-leave"),
    path("<slug:slug>/<int:pk>/", public(views.issue_page), name="issue"),
    path("<slug:slug>/", public(views.archive), name="archive"),
]
