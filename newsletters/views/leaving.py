"""The leave and preferences pages that every newsletter email links to.

The signed token in the address is the authority, not a session: these pages set no cookie,
carry no CSRF token (a forger would need the token itself) and need no sign-in. A mail client
that unsubscribes by RFC 8058 posts `List-Unsubscribe=One-Click` to the leave link; any POST
there leaves, and a GET only shows the button, because link scanners follow links.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import leaving
from ..forms import PauseForm, PreferencesForm
from ..tokens import preferences_token
from .responses import private

NOTICES = {
    "saved": "Your choices are saved.",
    "paused": "Your newsletters are paused.",
    "resumed": "Your newsletters are back on.",
    "left": "You have left every newsletter. Nothing more will be sent.",
}


def broken_link(request):
    return private(render(request, "newsletters/link_broken.html", status=400))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request, token):
    subscription = leaving.subscription_for_leave_token(token)
    if subscription is None:
        return broken_link(request)
    context = {
        "newsletter": subscription.newsletter,
        "preferences": reverse("newsletters:preferences", args=[preferences_token(subscription.subscriber)]),
    }
    if request.method == "POST":
        leaving.leave(subscription)
        return private(render(request, "newsletters/left.html", context))
    context["already_left"] = subscription.status == subscription.Status.UNSUBSCRIBED
    context["action"] = request.path
    return private(render(request, "newsletters/leave.html", context))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = leaving.subscriber_for_preferences_token(token)
    if subscriber is None:
        return broken_link(request)
    offered = leaving.offered(subscriber, leaving.is_member(subscriber.email))
    choice, pause = PreferencesForm(offered=offered), PauseForm(pauses=leaving.PAUSES)
    context = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "choose":
            choice = PreferencesForm(request.POST, offered=offered)
            if choice.is_valid():
                chosen = choice.cleaned_data["newsletters"]
                _, _, to_confirm = leaving.choose(
                    subscriber, chosen, endpoint=request.path, page=request.path
                )
                if not to_confirm:
                    return _done(request, "saved")
                context["to_confirm"] = to_confirm
        elif action == "pause":
            pause = PauseForm(request.POST, pauses=leaving.PAUSES)
            if pause.is_valid():
                leaving.pause_all(subscriber, pause.cleaned_data["pause"])
                return _done(request, "paused")
        elif action == "resume":
            leaving.resume_all(subscriber)
            return _done(request, "resumed")
        elif action == "leave-all":
            leaving.leave_all(subscriber)
            return _done(request, "left")
        else:
            context["error"] = "That button is not one of ours. Nothing was changed."
    current = list(subscriber.subscriptions.current().select_related("newsletter"))
    context.update(
        subscriber=subscriber,
        choice=choice,
        pause=pause,
        offered=offered,
        chosen={subscription.newsletter_id for subscription in current},
        paused_until=max((s.paused_until for s in current if s.is_paused()), default=None),
        action=request.path,
        notice=NOTICES.get(request.GET.get("done", "")),
    )
    bad = bool(choice.errors or pause.errors or context.get("error"))
    return private(render(request, "newsletters/preferences.html", context, status=400 if bad else 200))


def _done(request, what):
    # Back to the page by GET, so a reload repeats nothing; a query string, not a cookie, says what.
    return HttpResponseRedirect(f"{request.path}?done={what}")
