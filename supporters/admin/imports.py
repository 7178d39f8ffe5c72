"""Finance's page for bringing supporters over: upload a file, the worker imports it, read the report.

Only people with the supporter-import permissions (the Finance role) see it. A dry run is the
default, so the first upload of a file only reports; "Import this file for real" then runs it.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from ..import_rows import MAX_BYTES, Unreadable, check_size
from ..models import SupporterImport
from ..tasks import import_supporters


class UploadForm(forms.ModelForm):
    file = forms.FileField(
        required=False,
        help_text="CSV, UTF-8, header on line 1: email, name, amount, currency, frequency, status, start_date, "
        f"next_payment_date, stripe_customer_id, stripe_subscription_id. At most {MAX_BYTES // 1024 // 1024} MB.",
    )

    class Meta:
        model = SupporterImport
        fields = ["file", "from_stripe", "dry_run", "welcome"]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("from_stripe"):
            raise forms.ValidationError("Choose a file, or tick “Link Stripe's active subscriptions”.")
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            return upload
        try:
            check_size(upload.size)
        except Unreadable as error:
            raise forms.ValidationError(str(error)) from error
        return upload


@admin.register(SupporterImport)
class SupporterImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "created_at", "uploaded_by", "dry_run", "status", "lines_read", "outcome"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "file_name",
        "dry_run",
        "uploaded_by",
        "created_at",
        "status",
        "lines_read",
        "outcome",
        "report_text",
    ]
    actions = ["import_for_real"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file", "from_stripe", "dry_run", "welcome"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened: read it, or upload again

    @admin.display(description="Rows")
    def outcome(self, upload):
        return ", ".join(f"{n} {name}" for name, n in upload.counts.items() if n) or "—"

    @admin.display(description="Report")
    def report_text(self, upload):
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', upload.report or "Waiting for the worker."
        )

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        obj.file_name = upload.name[:200] if upload else "Stripe's active subscriptions"
        obj.content = b"".join(upload.chunks()) if upload else b""
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # The task row commits with the upload (same connection), so neither exists without the other.
        import_supporters.enqueue(obj.pk)

    @admin.action(description="Import the selected dry runs for real", permissions=["add"])
    def import_for_real(self, request, queryset):
        count = 0
        for checked in queryset.filter(dry_run=True, status=SupporterImport.Status.DONE):
            upload = SupporterImport.objects.create(
                file_name=checked.file_name,
                content=checked.content,
                from_stripe=checked.from_stripe,
                dry_run=False,
                welcome=checked.welcome,
                uploaded_by=request.user,
            )
            import_supporters.enqueue(upload.pk)
            count += 1
        self.message_user(
            request,
            f"{count} file(s) queued for import; the worker reports on each."
            if count
            else "Choose a finished dry run.",
            messages.SUCCESS if count else messages.WARNING,
        )
