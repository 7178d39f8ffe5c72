"""The newsletters themselves: name, audience, sender and schedule."""

from django.contrib import admin

from ..models import Newsletter


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "audience", "schedule", "public"]
    list_filter = ["audience", "schedule", "public"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "audience", "public", "position"]}),
        ("Sender", {"fields": ["sender_name", "reply_to"]}),
        ("Schedule", {"fields": ["schedule", "send_time", "weekday"]}),
    ]
