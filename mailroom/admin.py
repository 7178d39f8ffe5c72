from django.contrib import admin, messages

from .models import Email
from .services import retry


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["template", "to", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["status", "template", "created_at"]
    search_fields = ["to"]
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry now")
    def retry_now(self, request, queryset):
        count = retry(queryset)
        skipped = queryset.count() - count
        messages.success(request, f"{count} email(s) queued to be sent now.")
        if skipped:
            messages.info(request, f"{skipped} already sent (or with the address cleared) left alone.")
