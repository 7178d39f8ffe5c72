"""Signing up from cached pages, and confirming.

Pages with the sign-up form are cached for everyone, so the form carries no CSRF token.
newsletters.js fetches one from `token` when the reader starts to fill it in and posts straight
to `sign_up`. Without JavaScript the form goes to `check`, which stores nothing, is exempt
from CSRF, and shows the choices back with a real token and a "Sign me up" button.
"""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimit
from core.client_address import client_ip

from .. import signup
from ..forms import SignupForm
from ..tokens import read_confirmation
from .responses import private


@never_cache
@require_GET
def token(request):
    return JsonResponse({"csrf": get_token(request)})


def member(request):
    from supporters.sessions import signed_in_supporter

    supporter = signed_in_supporter(request)
    return supporter is not None and supporter.is_member


def form_page(request, form, status=200):
    return private(render(request, "newsletters/sign_up.html", {"form": form}, status=status))


@never_cache
@csrf_exempt
@require_POST
def check(request):
    """The no-JavaScript step: nothing stored, the choices shown back with a real token."""
    form = SignupForm(request.POST, member=member(request))
    return form_page(request, form, status=200 if form.is_valid() else 400)


@never_cache
@require_POST
def sign_up(request):
    form = SignupForm(request.POST, member=member(request))
    if not form.is_valid():
        return form_page(request, form, status=400)
    if not ratelimit.allow("newsletters:client", client_ip(request), settings.NEWSLETTER_SIGNUP_RATE_LIMIT):
        return private(render(request, "newsletters/slow_down.html", status=429))
    data = form.cleaned_data
    # Past the per-address limit nothing more is sent, and the answer is the same as ever.
    if ratelimit.allow(
        "newsletters:address", data["email"].lower(), settings.NEWSLETTER_ADDRESS_RATE_LIMIT, window=3600
    ):
        signup.sign_up(
            data["email"], data["name"], list(data["newsletters"]), endpoint=request.path, page=data["page"]
        )
    return redirect("newsletters:check-email")


@require_GET
def check_email(request):
    return render(request, "newsletters/check_email.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    found = read_confirmation(token)
    # Past its week, or its sign-up lapsed and was deleted (signup.expire_unconfirmed): expired.
    asked = signup.pending_newsletters(*found) if found else []
    if not asked:
        context = {"invalid": True, "days": settings.NEWSLETTER_PENDING_DAYS}
        return private(render(request, "newsletters/confirm.html", context, status=400))
    email, consent_ids = found
    if request.method == "POST":
        confirmed = signup.confirm(email, consent_ids)
        return private(
            render(request, "newsletters/confirmed.html", {"newsletters": confirmed, "email": email})
        )
    # A button, not an automatic confirmation: mail scanners follow links but do not post forms.
    context = {"email": email, "newsletters": asked}
    context["action"] = reverse("newsletters:confirm", args=[token])
    return private(render(request, "newsletters/confirm.html", context))
