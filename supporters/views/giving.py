"""Giving: the support form, the dev checkout and the thank-you page."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from articles.models import Article
from core.client_address import client_ip
from core.ratelimit import allow

from .. import places
from ..exceptions import GivingError
from ..forms import SupportForm, money, pounds_text, presets
from ..models import CallToAction, Donation, GivingPage, Plan
from ..payments import get_provider
from ..payments.dev import DevProvider
from ..services import events
from ..services.failed_payments import plan_for_card_token
from ..services.giving import checkout_url, start_giving
from ..sessions import signed_in_supporter

SESSION_DONATIONS = "checkout_donations"
# What this browser typed into the support form, to fill it in again after a declined payment.
SESSION_TYPED = "support_form_typed"


def small_id(text):
    """A row id from the query or a form, or None.

    ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses, and a
    few thousand digits are more than int() will read.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def attribution(request):
    """The article and the call to action that brought the reader here, if any."""
    source = request.POST if request.method == "POST" else request.GET
    article_id, call_id = small_id(source.get("from", "")), small_id(source.get("cta", ""))
    article = None
    if article_id is not None:
        article = Article.objects.published().filter(pk=article_id).first()
    call = None
    if call_id is not None:
        call = CallToAction.objects.filter(pk=call_id).first()
    return article, call


def issue_attribution(request):
    """The newsletter issue whose appeal brought the reader here, or None (see supporters.places)."""
    source = request.POST if request.method == "POST" else request.GET
    return places.issue_id(source.get("issue", "")) or None


@never_cache
@require_http_methods(["GET", "POST"])
def support(request):
    article, call = attribution(request)
    offered = presets()
    _, selected = offered[SupportForm.base_fields["frequency"].initial]
    initial = {"amount": pounds_text(selected)}
    if request.GET.get("declined") == "1":
        # Back from a declined payment: what this browser typed, not the consent, which is asked again.
        initial.update(request.session.get(SESSION_TYPED, {}))
    form = SupportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not allow("donate:ip", client_ip(request), settings.DONATION_RATE_LIMIT, window=600):
            messages.error(request, "Too many attempts from your connection. Please wait a few minutes.")
            return render_support(request, form, article, call, offered, status=429)
        data = form.cleaned_data
        signed_in = signed_in_supporter(request)
        donation = start_giving(
            proven=signed_in is not None and signed_in.email == data["email"].strip().lower(),
            email=data["email"],
            name=data["name"],
            frequency=data["frequency"],
            amount_pence=data["amount"],
            article=article,
            call_to_action_id=call.pk if call else None,
            newsletter_issue_id=issue_attribution(request) if call else None,
        )
        request.session[SESSION_DONATIONS] = [*request.session.get(SESSION_DONATIONS, [])[-9:], donation.pk]
        request.session[SESSION_TYPED] = {
            "frequency": data["frequency"],
            "amount": form.data["amount"],
            "name": data["name"],
            "email": data["email"],
        }
        thanks = request.build_absolute_uri(reverse("supporters:thanks") + f"?donation={donation.pk}")
        cancel = request.build_absolute_uri(
            reverse("supporters:support") + "?" + retry_query(article, call, issue_attribution(request))
        )
        try:
            return redirect(checkout_url(donation, success_url=thanks, cancel_url=cancel))
        except GivingError:
            messages.error(
                request,
                "We couldn’t reach our payment provider. Nothing was taken; please try again shortly.",
            )
            return render_support(request, form, article, call, offered, status=503)
    status = 400 if request.method == "POST" else 200
    return render_support(request, form, article, call, offered, status=status)


def retry_query(article, call, issue_id=None):
    """The support page after a declined payment keeps the appeal and the story or issue that led here."""
    query = {"declined": "1"}
    if call is not None:
        query["cta"] = call.pk
        if issue_id:
            query["issue"] = issue_id
    if article is not None:
        query["from"] = article.pk
    return urlencode(query)


def render_support(request, form, article, call, offered, status=200):
    context = {
        "form": form,
        "page": GivingPage.current(),
        "presets": {
            frequency: [(pence, money(pence), pence == selected) for pence in amounts]
            for frequency, (amounts, selected) in offered.items()
        },
        "article": article,
        "call": call,
        "issue_id": issue_attribution(request) if call else None,
        "declined": request.GET.get("declined") == "1",
        "button_label": form.button_label(),
        # For support.js, which says so before the reader submits an amount we cannot take.
        "limits": {"min": settings.DONATION_MIN_PENCE, "max": settings.DONATION_MAX_PENCE},
    }
    return render(request, "supporters/support.html", context, status=status)


@never_cache
def thanks(request):
    donation_id = small_id(request.GET.get("donation", ""))
    if donation_id is None or donation_id not in request.session.get(SESSION_DONATIONS, []):
        # Only the browser that started this checkout may see it.
        return render(request, "supporters/thanks.html", {"donation": None})
    donation = get_object_or_404(Donation.objects.select_related("supporter", "plan"), pk=donation_id)
    if donation.status in (Donation.Status.PENDING,):
        for event in get_provider(donation.provider).sync_checkout(donation):
            events.apply_event(event)
        donation.refresh_from_db()
    signed_in = signed_in_supporter(request)
    context = {
        "donation": donation,
        "amount": money(donation.amount_pence),
        # The name this browser typed, shown back to this browser only.
        "name": donation.given_name,
        "owner_signed_in": signed_in is not None and signed_in.pk == donation.supporter_id,
        "ad_free": donation.status == Donation.Status.PAID and checkout_membership(request),
    }
    return render(request, "supporters/thanks.html", context)


def checkout_membership(request):
    """Whether a gift this browser made itself makes it ad-free now.

    Paying proves nothing about the address typed, so it opens no account: it only lets this
    browser read without ads for as long as its own gift's membership lasts.
    """
    ids = request.session.get(SESSION_DONATIONS) if hasattr(request, "session") else None
    return bool(ids) and Donation.objects.filter(pk__in=ids).granting_membership().exists()


def dev_checkout_enabled():
    return settings.PAYMENT_PROVIDER == "dev"


@never_cache
@require_http_methods(["GET", "POST"])
def dev_checkout(request, token):
    if not dev_checkout_enabled():
        raise Http404("No test checkout here")
    try:
        data = DevProvider.read_token(token)
    except Exception:  # noqa: BLE001 - any bad token is simply not found
        raise Http404("This test checkout link is not valid") from None
    donation = get_object_or_404(
        Donation.objects.select_related("plan", "gift"), provider_checkout_id=data["checkout"]
    )
    provider = DevProvider()
    if request.method == "POST" and donation.status == Donation.Status.PENDING:
        if request.POST.get("action") == "pay":
            events.apply_event(provider.pay(donation))
            return redirect(data["success"])
        events.apply_event(provider.decline(donation))
        return redirect(data["cancel"])
    return render(
        request,
        "supporters/dev_checkout.html",
        {"donation": donation, "amount": money(donation.amount_pence)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def dev_card(request, token):
    """The development provider's card form: save a working test card, or go back."""
    if not dev_checkout_enabled():
        raise Http404("No test card page here")
    try:
        data = DevProvider.read_card_token(token)
    except Exception:  # noqa: BLE001 - any bad token is simply not found
        raise Http404("This test card link is not valid") from None
    plan = get_object_or_404(Plan, pk=data["plan"])
    if request.method == "POST":
        if request.POST.get("action") == "save" and plan.status == Plan.Status.PAST_DUE:
            events.apply_event(DevProvider().card_saved(plan))
        return redirect(data["return"])
    return render(request, "supporters/dev_card.html", {"plan": plan, "amount": money(plan.amount_pence)})


@never_cache
@require_http_methods(["GET", "POST"])
def card(request, token):
    """The emailed card link: one button to the provider's card form for this overdue gift.

    A GET only shows the button (mail scanners follow links); the provider's page is made on the
    POST. The link is not a sign-in and opens nothing else.
    """
    plan = plan_for_card_token(token)
    if plan is None:
        return render(request, "supporters/card.html", {"invalid": True}, status=400)
    context = {"plan": plan, "amount": money(plan.amount_pence), "grace_ends_at": plan.grace_ends_at()}
    if request.method == "POST":
        done = settings.SITE_URL + reverse("supporters:card-done")
        try:
            url = get_provider(plan.provider).card_update_url(plan, done)
        except GivingError:
            url = None
        if url:
            return redirect(url)
        context["unavailable"] = True
    return render(request, "supporters/card.html", context)


@never_cache
def card_done(request):
    return render(request, "supporters/card_done.html")
