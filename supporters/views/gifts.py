"""Gift memberships: the form that starts the checkout, and the page where the recipient claims."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.client_address import client_ip
from core.ratelimit import allow

from .. import gifts
from ..exceptions import GivingError, IllegalTransition
from ..forms import money
from ..gift_forms import GiftForm
from ..models import GivingPage
from ..services.giving import checkout_url
from ..sessions import signed_in_supporter
from .giving import SESSION_DONATIONS


@never_cache
@require_http_methods(["GET", "POST"])
def give_gift(request):
    form = GiftForm(request.POST or None)
    price = money(GivingPage.current().gift_price_pence)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not allow("donate:ip", client_ip(request), settings.DONATION_RATE_LIMIT, window=600):
            messages.error(request, "Too many attempts from your connection. Please wait a few minutes.")
            return render(request, "supporters/gift.html", {"form": form, "price": price}, status=429)
        data = form.cleaned_data
        signed_in = signed_in_supporter(request)
        donation = gifts.start_gift(
            buyer_email=data["buyer_email"],
            buyer_name=data["buyer_name"],
            recipient_name=data["recipient_name"],
            recipient_email=data["recipient_email"],
            send_at=form.send_at(),
            message=data["message"],
            proven=signed_in is not None and signed_in.email == data["buyer_email"],
        )
        request.session[SESSION_DONATIONS] = [*request.session.get(SESSION_DONATIONS, [])[-9:], donation.pk]
        thanks = request.build_absolute_uri(reverse("supporters:thanks") + f"?donation={donation.pk}")
        cancel = request.build_absolute_uri(reverse("supporters:give-gift") + "?declined=1")
        try:
            return redirect(checkout_url(donation, success_url=thanks, cancel_url=cancel))
        except GivingError:
            messages.error(
                request,
                "We couldn’t reach our payment provider. Nothing was taken; please try again shortly.",
            )
            status = 503
    elif request.method == "POST":
        status = 400
    context = {"form": form, "price": price, "declined": request.GET.get("declined") == "1"}
    return render(request, "supporters/gift.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def claim_gift(request, token):
    """A button, not a claim on opening: mail scanners follow links but do not press buttons."""
    gift = gifts.gift_for_token(token)
    if gift is None:
        return render(request, "supporters/gift_claim.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        try:
            gifts.claim(gift)
        except IllegalTransition as refusal:
            gift.refresh_from_db()
            context = {"state": "refused", "reason": str(refusal), "gift": gift}
            return render(request, "supporters/gift_claim.html", context, status=409)
        context = {"state": "claimed", "gift": gift, "until": gift.member_until}
        return render(request, "supporters/gift_claim.html", context)
    if gift.claimed_at:
        state = "already"
    elif gift.erased_at or gift.sent_at is None or gift.purchase.status != "paid":
        state = "lapsed"
    else:
        state = "open"
    return render(
        request,
        "supporters/gift_claim.html",
        {"state": state, "gift": gift},
        status=410 if state == "lapsed" else 200,
    )
