"""The audience team's list of who gets which newsletter, and its CSV export, each one logged.

Readers' addresses are personal data: only the Audience role (canary/roles.py) sees them, and
nobody edits a subscription here: readers change their own from their emails and account.
"""

import csv
import logging

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from core.relative_time import when_column

from ..models import Subscriber, Subscription

security_log = logging.getLogger("canary.security")

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_HEADER = ["email", "name", "newsletter", "status", "source", "joined", "confirmed", "left"]


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """csv.writer writes into this and gets the line back, so each row streams as it is made."""

    def write(self, value):
        return value


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JoinedFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "date joined"


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    # Short columns, so the list reads at 1366 px beside the admin's menu.
    list_display = ["email", "name", "newsletter", "status", "source", "joined"]
    list_filter = ["newsletter", "status", "source", ("created_at", JoinedFilter)]
    search_fields = ["subscriber__email"]
    search_help_text = "Search by address, or part of one (a domain, say)."
    list_select_related = ["subscriber", "newsletter"]
    list_per_page = 100
    show_full_result_count = False  # one count of a 100,000-row table is enough
    fields = [
        "subscriber",
        "newsletter",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "left_at",
        "paused_until",
    ]

    joined = when_column("created_at", "Joined")

    @admin.display(description="Email", ordering="subscriber__email")
    def email(self, subscription):
        return subscription.subscriber.email

    @admin.display(description="Name", ordering="subscriber__name")
    def name(self, subscription):
        return subscription.subscriber.name

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="newsletters_subscription_export"), *super().get_urls()]

    def has_export_permission(self, request):
        return request.user.has_perm("newsletters.export_subscribers")

    def changelist_view(self, request, extra_context=None):
        extra = {
            "can_export": self.has_export_permission(request),
            "title": "Subscribers",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def export_view(self, request):
        """The list as filtered and searched on the page, every row of it, as CSV; logged."""
        if not (self.has_export_permission(request) and self.has_view_permission(request)):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).select_related("subscriber", "newsletter").order_by("pk")
        chosen = request.GET.urlencode() or "everyone"
        who = request.user.get_username()

        # Logged before a row goes: a download stopped near its end has still been taken.
        security_log.info("%s started an export of subscribers (filter: %s)", who, chosen)

        def lines():
            writer = csv.writer(Echo())
            yield writer.writerow(EXPORT_HEADER)
            count = 0
            for s in rows.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        spreadsheet_safe(cell)
                        for cell in (
                            s.subscriber.email,
                            s.subscriber.name,
                            s.newsletter.slug,
                            s.status,
                            s.source,
                            s.created_at.isoformat(),
                            s.confirmed_at.isoformat() if s.confirmed_at else "",
                            s.left_at.isoformat() if s.left_at else "",
                        )  # fmt: skip
                    ]
                )
                count += 1
            security_log.info("%s exported %d rows of subscribers (filter: %s)", who, count, chosen)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="subscribers-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        return response


class SubscriptionInline(ReadOnly, admin.TabularInline):
    model = Subscription
    fields = ["newsletter", "status", "source", "created_at", "confirmed_at", "left_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "name", "since"]
    since = when_column("created_at", "Subscriber since")
    search_fields = ["email"]
    fields = ["email", "name", "created_at"]
    inlines = [SubscriptionInline]
