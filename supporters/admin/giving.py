"""Giving in the admin: supporters, donations, plans, provider events and gift memberships, read-only for Finance."""

import csv
import logging

from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html

from core.relative_time import when_column
from core.saved_since_opened import SavedSinceOpenedCheck

from ..forms import money
from ..models import AmountPreset, Donation, GiftMembership, GivingPage, Plan, ProviderEvent, Supporter

security_log = logging.getLogger("canary.security")

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(request, filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        count += 1
    security_log.info("%s exported %d rows of %s", request.user.get_username(), count, filename)
    return response


class TotalsMixin:
    """Shows the total of the filtered list above it."""

    change_list_template = "admin/supporters/change_list_with_total.html"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            total = changelist.queryset.aggregate(total=Sum("amount_pence"))["total"] or 0
            response.context_data["list_total"] = money(total)
        return response


class ReadOnlyPaymentsMixin:
    """Only the payment provider changes money: nobody adds or edits payment rows by hand."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "since", "erased"]
    list_filter = ["created_at", "erased_at"]
    search_fields = ["email", "name"]
    readonly_fields = ["user", "created_at", "erased_at"]
    actions = ["export_csv"]
    since = when_column("created_at", "Supporter since")
    erased = when_column("erased_at", "Erased")

    @admin.action(description="Export selected supporters as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        # The name typed at the last checkout is the giver's word, not proof: its own column.
        typed = (
            Donation.objects.filter(supporter=OuterRef("pk")).exclude(given_name="").order_by("-created_at")
        )
        rows = queryset.annotate(typed_name=Subquery(typed.values("given_name")[:1]))
        return csv_response(
            request,
            "supporters",
            ["email", "name", "name typed at checkout", "supporter since", "member"],
            ((s.email, s.name, s.typed_name or "", s.created_at.isoformat(), s.is_member) for s in rows),
        )

    def has_export_permission(self, request):
        return request.user.has_perm("supporters.export_supporters")


@admin.register(Donation)
class DonationAdmin(TotalsMixin, ReadOnlyPaymentsMixin, admin.ModelAdmin):
    # One column for the giver (name over address), read at 1366 px with the filters beside it.
    list_display = ["giver", "amount_display", "frequency", "status", "started", "paid"]
    list_filter = ["status", "frequency", "created_at", "paid_at"]
    search_fields = ["supporter__email", "supporter__name"]
    list_select_related = ["supporter"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "supporter", "plan", "frequency", "amount_pence", "currency", "status", "provider",
        "provider_checkout_id", "provider_payment_id", "created_at", "paid_at", "consent_at",
        "article", "call_to_action_id",
    ]  # fmt: skip
    actions = ["export_csv"]

    started = when_column("created_at", "Started")
    paid = when_column("paid_at", "Paid")

    @admin.display(description="Giver", ordering="supporter__email")
    def giver(self, donation):
        supporter = donation.supporter
        if not supporter.name:
            return supporter.email
        return format_html('{}<span class="quiet-line">{}</span>', supporter.name, supporter.email)

    @admin.display(description="Amount", ordering="amount_pence")
    def amount_display(self, donation):
        return money(donation.amount_pence)

    @admin.action(description="Export selected donations as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return csv_response(
            request,
            "donations",
            ["reference", "email", "name", "amount", "frequency", "status", "created", "paid"],
            (
                (d.pk, d.supporter.email, d.supporter.name, f"{d.amount_pence / 100:.2f}", d.frequency,
                 d.status, d.created_at.isoformat(), d.paid_at.isoformat() if d.paid_at else "")
                for d in queryset.select_related("supporter")
            ),
        )  # fmt: skip

    def has_export_permission(self, request):
        return request.user.has_perm("supporters.export_supporters")


@admin.register(Plan)
class PlanAdmin(TotalsMixin, ReadOnlyPaymentsMixin, admin.ModelAdmin):
    list_display = [
        "pk",
        "supporter",
        "amount_display",
        "frequency",
        "status",
        "current_period_end",
        "cancel_at_period_end",
    ]
    list_filter = ["status", "frequency", "cancel_reason", "created_at"]
    search_fields = ["supporter__email", "supporter__name"]
    list_select_related = ["supporter"]
    readonly_fields = [
        "supporter", "frequency", "amount_pence", "status", "provider", "provider_subscription_id",
        "provider_customer_id", "current_period_end", "cancel_at_period_end", "cancel_requested_at",
        "cancel_reason", "cancel_note", "past_due_since", "cancelled_at", "state_as_of", "created_at",
    ]  # fmt: skip

    @admin.display(description="Amount", ordering="amount_pence")
    def amount_display(self, plan):
        return money(plan.amount_pence)


@admin.register(ProviderEvent)
class ProviderEventAdmin(ReadOnlyPaymentsMixin, admin.ModelAdmin):
    list_display = ["event_id", "provider", "type", "occurred_at", "received_at"]
    list_filter = ["provider", "type"]
    search_fields = ["event_id"]
    readonly_fields = ["provider", "event_id", "type", "occurred_at", "received_at"]


@admin.register(AmountPreset)
class AmountPresetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "frequency", "amount_pence", "position", "is_default"]
    list_editable = ["position", "is_default"]
    list_filter = ["frequency"]


class GivingPageForm(SavedSinceOpenedCheck):
    class Meta:
        model = GivingPage
        fields = "__all__"


@admin.register(GivingPage)
class GivingPageAdmin(admin.ModelAdmin):
    form = GivingPageForm
    list_display = ["headline", "updated_at"]


@admin.register(GiftMembership)
class GiftMembershipAdmin(ReadOnlyPaymentsMixin, admin.ModelAdmin):
    """Read-only like the payments: the buyer's checkout, the clock and the claim change gifts."""

    list_display = [
        "pk",
        "buyer_name",
        "purchase__supporter__email",
        "recipient_name",
        "amount_display",
        "paid",
        "send_at",
        "sent_at",
        "claimed_at",
        "member_until",
        "erased_at",
    ]
    list_filter = ["purchase__status", "sent_at", "claimed_at", "erased_at"]
    search_fields = ["buyer_name", "purchase__supporter__email", "recipient_email", "recipient_name"]
    list_select_related = ["purchase__supporter"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "purchase", "buyer_name", "recipient_name", "recipient_email", "message", "send_at", "sent_at",
        "claim_until", "claimed_at", "claimed_by", "member_from", "member_until", "erased_at", "created_at",
    ]  # fmt: skip

    @admin.display(description="Amount", ordering="purchase__amount_pence")
    def amount_display(self, gift):
        return money(gift.purchase.amount_pence)

    @admin.display(description="Paid", boolean=True)
    def paid(self, gift):
        return gift.purchase.status == Donation.Status.PAID
