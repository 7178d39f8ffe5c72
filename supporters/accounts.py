"""Passwordless accounts for supporters: emailed single-use links, and the account page."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from articles.client import client_ip
from articles.ratelimit import allow
from mailroom.services import queue_email

from . import services
from .exceptions import GivingError
from .forms import AmountForm, DetailsForm, SignInForm, money
from .models import Plan, SignInToken, Supporter
from .payments import get_provider

BACKEND = "django.contrib.auth.backends.ModelBackend"
SENT_MESSAGE = (
    "If that address belongs to a supporter, a sign-in link is on its way. It works once, for 15 minutes."
)


def user_for(supporter):
    """The account a supporter signs in as, made on first sign-in; it has no password."""
    if supporter.user_id:
        return supporter.user
    User = get_user_model()
    user = User(username=f"supporter-{supporter.pk}", email=supporter.email, first_name=supporter.name[:150])
    user.set_unusable_password()
    user.save()
    supporter.user = user
    supporter.save(update_fields=["user"])
    return user


def start_session(request, supporter):
    login(request, user_for(supporter), backend=BACKEND)
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)


def sign_in_new_supporter(request, donation):
    """Sign in the browser that paid, only if this very donation created the supporter.

    Giving £1 with someone else's address must never open their account: an address that
    was already a supporter's gets an emailed link instead.
    """
    supporter = donation.supporter
    if not donation.created_supporter or supporter.erased_at:
        return False
    if supporter.user_id and supporter.user.last_login is not None:
        return False
    start_session(request, supporter)
    return True


def send_sign_in_link(supporter):
    token = SignInToken.issue(supporter)
    link = f"{settings.SITE_URL}/account/login/{token}/"
    link_life = settings.SIGN_IN_LINK_MINUTES
    queue_email(
        supporter.email,
        f"Sign in to {settings.SITE_NAME}",
        f"Here is your sign-in link. It works once, for {link_life} minutes:\n\n{link}\n\n"
        "If you did not ask for it, ignore this email: nobody can sign in without it.\n",
        expires_at=SignInToken.objects.get(token_hash=SignInToken.hash(token)).expires_at,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and hasattr(request.user, "supporter"):
        return redirect("supporters:account")
    form = SignInForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not (
            allow("signin:ip", client_ip(request), settings.SIGN_IN_RATE_LIMIT, window=900)
            and allow("signin:email", email, settings.SIGN_IN_RATE_LIMIT, window=900)
        ):
            form.add_error(None, "Too many sign-in requests. Please wait a quarter of an hour and try again.")
            return render(request, "supporters/sign_in.html", {"form": form}, status=429)
        supporter = Supporter.objects.filter(email=email, erased_at__isnull=True).first()
        if supporter is not None:
            with transaction.atomic():
                send_sign_in_link(supporter)
        # The same answer whether or not the address is known: no account enumeration.
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


def current_supporter(request):
    return get_object_or_404(Supporter, user=request.user, erased_at__isnull=True)


@never_cache
@login_required(login_url="/account/login/")
def account(request):
    if request.user.is_staff and not Supporter.objects.filter(user=request.user).exists():
        # Newsroom staff without a supporter account: their account is the admin.
        return redirect("admin:index")
    supporter = current_supporter(request)
    plans = list(supporter.plans.exclude(status=Plan.Status.PENDING))
    donations = list(supporter.donations.select_related("plan").order_by("-created_at")[:100])
    for item in donations:
        item.amount_text = money(item.amount_pence)
    for plan in plans:
        plan.amount_text = money(plan.amount_pence)
        plan.form = AmountForm(initial={"amount": f"{plan.amount_pence / 100:g}"}, prefix=f"plan{plan.pk}")
    until = supporter.membership_until()
    return render(
        request,
        "supporters/account.html",
        {
            "supporter": supporter,
            "plans": plans,
            "donations": donations,
            "membership_until": until,
            "details_form": DetailsForm(initial={"name": supporter.name}),
        },
    )


def own_plan(request, plan_id):
    return get_object_or_404(Plan, pk=plan_id, supporter=current_supporter(request))


@require_POST
@login_required(login_url="/account/login/")
def cancel(request, plan_id):
    plan = own_plan(request, plan_id)
    try:
        services.cancel_plan(plan)
    except GivingError:
        messages.error(request, "We couldn’t reach our payment provider. Nothing changed; please try again.")
        return redirect("supporters:account")
    plan.refresh_from_db()
    if plan.current_period_end:
        messages.success(
            request, f"Cancelled. Your membership continues until {plan.current_period_end:%d %B %Y}."
        )
    else:
        messages.success(request, "Cancelled.")
    return redirect("supporters:account")


@require_POST
@login_required(login_url="/account/login/")
def change_amount(request, plan_id):
    plan = own_plan(request, plan_id)
    form = AmountForm(request.POST, prefix=f"plan{plan.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["amount"]))
        return redirect("supporters:account")
    try:
        services.change_amount(plan, form.cleaned_data["amount"])
    except GivingError as error:
        messages.error(request, str(error))
        return redirect("supporters:account")
    messages.success(request, f"From your next payment you give {money(plan.amount_pence)}.")
    return redirect("supporters:account")


@require_POST
@login_required(login_url="/account/login/")
def update_details(request):
    supporter = current_supporter(request)
    form = DetailsForm(request.POST)
    if form.is_valid():
        supporter.name = form.cleaned_data["name"].strip()
        supporter.save(update_fields=["name"])
        messages.success(request, "Your details are saved.")
    else:
        messages.error(request, " ".join(form.errors["name"]))
    return redirect("supporters:account")


@never_cache
@login_required(login_url="/account/login/")
def download(request):
    supporter = current_supporter(request)
    response = HttpResponse(
        json.dumps(services.export_supporter(supporter), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-canary-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@login_required(login_url="/account/login/")
def delete(request):
    supporter = current_supporter(request)
    if request.method == "POST" and request.POST.get("confirm") == "delete":
        try:
            services.delete_supporter(supporter)
        except GivingError:
            messages.error(
                request, "We couldn’t cancel your plan with our payment provider. Nothing was deleted."
            )
            return redirect("supporters:account")
        logout(request)
        messages.success(request, "Your account is deleted and your personal data erased.")
        return redirect("/")
    return render(request, "supporters/delete.html", {"supporter": supporter})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")


@require_POST
@login_required(login_url="/account/login/")
def manage_card(request, plan_id):
    """Send the supporter to the provider's own page for changing their card."""
    plan = own_plan(request, plan_id)
    try:
        url = get_provider(plan.provider).manage_url(plan, request.build_absolute_uri("/account/"))
    except GivingError:
        url = None
    if not url:
        messages.error(
            request, "Card details can’t be changed online for this gift just now. Please try later."
        )
        return redirect("supporters:account")
    return redirect(url)
