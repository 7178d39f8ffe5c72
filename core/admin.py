from django.contrib import admin

from . import clock
from .models import Occurrence


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    """The clock, read-only: each job's cadence, what is due next and how it last ran, above every run."""

    list_display = [
        "job",
        "due_at",
        "state",
        "attempts",
        "claimed_by",
        "claimed_at",
        "lease_until",
        "finished_at",
        "last_error",
    ]
    list_filter = ["state", "job", "due_at"]
    search_fields = ["job", "key"]
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Occurrence._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "clock_jobs": clock.summary()})
