"""The newsletters themselves: name, audience, sender and schedule."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from ..models import Newsletter


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "audience", "schedule", "public", "its_issues"]
    list_filter = ["audience", "schedule", "public"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "audience", "public", "position"]}),
        ("Sender", {"fields": ["sender_name", "reply_to"]}),
        ("Schedule", {"fields": ["schedule", "send_time", "weekday"]}),
    ]

    @admin.display(description="Issues")
    def its_issues(self, newsletter):
        url = reverse("admin:newsletters_issue_changelist")
        return format_html('<a href="{}?newsletter__id__exact={}">Issues</a>', url, newsletter.pk)
