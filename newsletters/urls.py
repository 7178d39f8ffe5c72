from django.urls import include, path
from django.views.decorators.cache import cache_control

from .feeds import IssueFeed
from .views import account, archive, clicks, leaving, signup
from .webhooks import tracking_urls

# The list, archives and feeds are the same for everyone: the page cache may keep them.
public = cache_control(public=True)

app_name = "newsletters"
urlpatterns = [
    path("", public(archive.index), name="index"),
    path("token/", signup.token, name="token"),
    path("sign-up/check/", signup.check, name="check"),
    path("sign-up/", signup.sign_up, name="sign-up"),
    path("check-your-email/", public(signup.check_email), name="check-email"),
    path("confirm/<str:token>/", signup.confirm, name="confirm"),
    path("leave/<str:token>/", leaving.leave, name="leave"),
    path("preferences/<str:token>/", leaving.preferences, name="preferences"),
    path("go/<str:token>/", clicks.go, name="go"),
    path("account/<int:newsletter_id>/subscribe/", account.subscribe, name="account-subscribe"),
    path("account/<int:newsletter_id>/leave/", account.leave, name="account-leave"),
    path("<slug:slug>/feed/", public(IssueFeed()), name="feed"),
    # The providers' tracking webhooks: bounces, complaints and unsubscribes after sending.
    path("provider/", include(tracking_urls())),
    path("<slug:slug>/<int:pk>/", public(archive.issue_page), name="issue"),
    path("<slug:slug>/", public(archive.archive), name="archive"),
]
