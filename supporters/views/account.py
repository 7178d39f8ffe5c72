"""The supporter's account page and what can be done from it: plans, details, data, deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .. import account_sections, gift_account
from ..exceptions import GivingError, IllegalTransition
from ..forms import AmountForm, CancelForm, DetailsForm, FrequencyForm, money
from ..models import Plan, Supporter
from ..payments import get_provider
from ..services import personal_data, plan_moves
from ..sessions import current_supporter, signed_in_supporter


@never_cache
@login_required
def account(request):
    if request.user.is_staff and not Supporter.objects.filter(user=request.user).exists():
        # Newsroom staff without a supporter account: their account is the admin.
        return redirect("admin:index")
    supporter = signed_in_supporter(request)
    if supporter is None:
        return redirect_to_login(request.get_full_path())
    plans = list(supporter.plans.exclude(status=Plan.Status.PENDING))
    donations = list(supporter.donations.select_related("plan").order_by("-created_at")[:100])
    for item in donations:
        item.amount_text = money(item.amount_pence)
    for plan in plans:
        plan.amount_text = money(plan.amount_pence)
        plan.form = AmountForm(initial={"amount": f"{plan.amount_pence / 100:g}"}, prefix=f"plan{plan.pk}")
        other = "annual" if plan.frequency == "monthly" else "monthly"
        # A starting figure the same over a year: £5 a month offers £60 a year, and back.
        guess = plan.amount_pence * 12 if other == "annual" else max(100, round(plan.amount_pence / 12, -2))
        plan.frequency_form = FrequencyForm(
            initial={"frequency": other, "amount": f"{guess / 100:g}"}, prefix=f"often{plan.pk}"
        )
        plan.next_amount_text = money(plan.next_amount_pence) if plan.next_amount_pence else ""
    until = supporter.membership_until()
    return render(
        request,
        "supporters/account.html",
        {
            "supporter": supporter,
            "plans": plans,
            "donations": donations,
            "membership_until": until,
            "gifts_received": gift_account.received(supporter, membership_until=until),
            "details_form": DetailsForm(initial={"name": supporter.name}),
            "sections": account_sections.rendered(request, supporter),
        },
    )


def own_plan(request, plan_id):
    return get_object_or_404(Plan, pk=plan_id, supporter=current_supporter(request))


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def cancel(request, plan_id):
    """Asked once, with the date membership ends; the reason is optional and never required."""
    plan = own_plan(request, plan_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_moves.cancel_plan(plan, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
        except IllegalTransition as refusal:
            messages.error(request, str(refusal))
            return redirect("supporters:account")
        except GivingError:
            messages.error(
                request, "We couldn’t reach our payment provider. Nothing changed; please try again."
            )
            return redirect("supporters:account")
        plan.refresh_from_db()
        if plan.current_period_end:
            messages.success(
                request,
                f"Cancelled. Your membership continues until {day(plan.current_period_end)}; "
                "you can resume until then. We have emailed you to confirm.",
            )
        else:
            messages.success(request, "Cancelled. We have emailed you to confirm.")
        return redirect("supporters:account")
    if plan.status not in (Plan.Status.ACTIVE, Plan.Status.PAST_DUE) or plan.cancel_at_period_end:
        messages.error(request, "This gift is not running, so there is nothing to cancel.")
        return redirect("supporters:account")
    context = {"plan": plan, "amount": money(plan.amount_pence), "form": form}
    context["ends_on"] = day(plan.current_period_end) if plan.current_period_end else None
    return render(request, "supporters/cancel.html", context)


@require_POST
@login_required
def resume(request, plan_id):
    plan = own_plan(request, plan_id)
    try:
        plan_moves.resume_plan(plan)
    except IllegalTransition as refusal:
        messages.error(request, str(refusal))
        return redirect("supporters:account")
    except GivingError:
        messages.error(request, "We couldn’t reach our payment provider. Nothing changed; please try again.")
        return redirect("supporters:account")
    messages.success(request, "Resumed: your gift carries on as before, and nothing extra is charged.")
    return redirect("supporters:account")


def day(moment):
    """The one way a date is written to members, as in the emails and the account page."""
    return date_format(timezone.localtime(moment), "j F Y")


@require_POST
@login_required
def change_amount(request, plan_id):
    plan = own_plan(request, plan_id)
    form = AmountForm(request.POST, prefix=f"plan{plan.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["amount"]))
        return redirect("supporters:account")
    try:
        plan_moves.change_amount(plan, form.cleaned_data["amount"])
    except GivingError as error:
        messages.error(request, str(error))
        return redirect("supporters:account")
    messages.success(request, f"From your next payment you give {money(plan.amount_pence)}.")
    return redirect("supporters:account")


@require_POST
@login_required
def change_frequency(request, plan_id):
    plan = own_plan(request, plan_id)
    form = FrequencyForm(request.POST, prefix=f"often{plan.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(sum(form.errors.values(), [])))
        return redirect("supporters:account")
    try:
        plan_moves.change_frequency(plan, form.cleaned_data["frequency"], form.cleaned_data["amount"])
    except IllegalTransition as refusal:
        messages.error(request, str(refusal))
        return redirect("supporters:account")
    except GivingError:
        messages.error(request, "We couldn’t reach our payment provider. Nothing changed; please try again.")
        return redirect("supporters:account")
    often = "a year" if plan.next_frequency == "annual" else "a month"
    starts = f"From {day(plan.current_period_end)}" if plan.current_period_end else "From your next payment"
    messages.success(
        request, f"{starts} you give {money(plan.next_amount_pence)} {often}. Nothing changes before then."
    )
    return redirect("supporters:account")


@require_POST
@login_required
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
@login_required
def download(request):
    supporter = current_supporter(request)
    response = HttpResponse(
        json.dumps(personal_data.export_supporter(supporter), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-canary-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def delete(request):
    supporter = current_supporter(request)
    if request.method == "POST" and request.POST.get("confirm") == "delete":
        done = personal_data.request_deletion(supporter)
        logout(request)
        if done:
            messages.success(request, "Your account is deleted and your personal data erased.")
        else:
            messages.info(
                request,
                "We couldn’t reach our payment provider to stop your gift just now. We will keep "
                "trying, then delete your account and erase your personal data, and email you when "
                "it is done.",
            )
        return redirect("/")
    return render(request, "supporters/delete.html", {"supporter": supporter})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def disown(request, donation_id):
    """A gift made with this address by a browser that had not signed in: "this was not me"."""
    supporter = current_supporter(request)
    donation = get_object_or_404(supporter.donations.disownable(), pk=donation_id)
    if request.method == "POST":
        try:
            personal_data.disown_gift(supporter, donation.pk)
        except IllegalTransition:
            messages.error(request, "That gift can no longer be disowned.")
            return redirect("supporters:account")
        messages.success(
            request, "Done: that gift no longer shows on your account or counts towards your membership."
        )
        return redirect("supporters:account")
    context = {"donation": donation, "amount": money(donation.amount_pence)}
    return render(request, "supporters/disown.html", context)


@require_POST
@login_required
def manage_card(request, plan_id):
    """Send the supporter to the provider's own page for changing their card."""
    plan = own_plan(request, plan_id)
    try:
        url = get_provider(plan.provider).manage_url(
            plan, request.build_absolute_uri(reverse("supporters:account"))
        )
    except GivingError:
        url = None
    if not url:
        messages.error(
            request, "Card details can’t be changed online for this gift just now. Please try later."
        )
        return redirect("supporters:account")
    return redirect(url)
