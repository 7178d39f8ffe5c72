"""Signing in by emailed single-use link, and signing out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.client_address import client_ip
from core.ratelimit import allow

from ..forms import SignInForm
from ..models import SignInToken
from ..sessions import (
    current_supporter,
    end_other_sessions,
    request_sign_in_link,
    signed_in_supporter,
    start_session,
)

SENT_MESSAGE = (
    "If that address belongs to a supporter, a sign-in link is on its way. It works once, for 15 minutes."
)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if signed_in_supporter(request) is not None:
        return redirect("supporters:account")
    form = SignInForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        # Limited per client, never per address: nobody can lock a supporter out.
        if not allow("signin:ip", client_ip(request), settings.SIGN_IN_RATE_LIMIT, window=900):
            form.add_error(None, "Too many sign-in requests. Please wait a quarter of an hour and try again.")
            return render(request, "supporters/sign_in.html", {"form": form}, status=429)
        request_sign_in_link(form.cleaned_data["email"].strip().lower())
        messages.success(request, SENT_MESSAGE)
        return redirect("supporters:sign-in")
    return render(request, "supporters/sign_in.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    # A button, not an automatic sign-in: mail scanners follow links but do not press buttons.
    if request.method == "POST":
        supporter = SignInToken.spend(token)
        if supporter is None:
            return render(request, "supporters/sign_in_link.html", {"invalid": True}, status=400)
        start_session(request, supporter)
        messages.success(request, "You are signed in.")
        return redirect("supporters:account")
    usable = SignInToken.objects.usable().filter(token_hash=SignInToken.hash(token)).exists()
    return render(
        request, "supporters/sign_in_link.html", {"invalid": not usable}, status=200 if usable else 400
    )


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session of this account, this browser's included (a lost phone, a shared computer)."""
    supporter = current_supporter(request)
    end_other_sessions(supporter.user)
    logout(request)
    messages.success(request, "You are signed out on every device. Sign in again by emailed link.")
    return redirect("supporters:sign-in")
