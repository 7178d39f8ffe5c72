"""The audience team's import page: upload a file, the worker imports it, follow it and read the report.

A dry run is the default, so the first upload of a file only reports; "Import for real" then runs
the same stored file. The import emails nobody; "Send the confirmation mailing" is its own action.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html

from ..import_notice import send_confirmations
from ..import_rows import Unreadable, check_size
from ..import_uploads import store
from ..models import SubscriberImport, SubscriberImportChunk
from ..tasks import import_subscribers


class UploadForm(forms.ModelForm):
    file = forms.FileField(
        help_text="CSV, UTF-8, header on line 1: email, and any of name, status, consent_date, source. "
        "The hosted list's audience exports (or their zip) go in as they are. At most "
        f"{settings.NEWSLETTER_IMPORT_MAX_BYTES // 1024 // 1024} MB.",
    )

    class Meta:
        model = SubscriberImport
        fields = ["newsletter", "file", "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except Unreadable as error:
            raise forms.ValidationError(str(error)) from error
        return upload


@admin.register(SubscriberImport)
class SubscriberImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "newsletter",
        "created_at",
        "uploaded_by",
        "dry_run",
        "status",
        "progress",
        "outcome",
    ]
    list_select_related = ["uploaded_by", "newsletter"]
    readonly_fields = [
        "file_name", "newsletter", "dry_run", "uploaded_by", "created_at", "status", "progress", "outcome",
        "report_text",
    ]  # fmt: skip
    actions = ["import_for_real", "send_confirmation_mailing"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["newsletter", "file", "dry_run"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened: read it, or upload again

    @admin.display(description="Progress")
    def progress(self, upload):
        percent = upload.percent_read()
        words = {
            SubscriberImport.Status.QUEUED: "not started",
            SubscriberImport.Status.RUNNING: f"{upload.lines_read:,} rows read; reload to follow",
            SubscriberImport.Status.DONE: f"{upload.lines_read:,} rows",
            SubscriberImport.Status.REFUSED: f"stopped after {upload.lines_read:,} rows",
        }[upload.status]
        return format_html(
            '<progress max="100" value="{}" style="width: 8rem">{}%</progress> {}', percent, percent, words
        )

    @admin.display(description="Rows")
    def outcome(self, upload):
        return ", ".join(f"{n:,} {name}" for name, n in upload.counts.items() if n) or "—"

    @admin.display(description="Report")
    def report_text(self, upload):
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto">{}</pre>',
            upload.report or "Waiting for the worker.",
        )

    def save_model(self, request, obj, form, change):
        uploaded = form.cleaned_data["file"]
        obj.file_name = uploaded.name[:200]
        obj.uploaded_by = request.user
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            store(obj, uploaded)
            # The task row commits with the upload (same connection), so neither exists without the other.
            import_subscribers.enqueue(obj.pk)

    @admin.action(description="Import the selected dry runs for real", permissions=["add"])
    def import_for_real(self, request, queryset):
        count = 0
        for checked in queryset.filter(dry_run=True, status=SubscriberImport.Status.DONE):
            with transaction.atomic():
                upload = SubscriberImport.objects.create(
                    newsletter=checked.newsletter,
                    file_name=checked.file_name,
                    size=checked.size,
                    dry_run=False,
                    uploaded_by=request.user,
                )
                for chunk in checked.chunks.order_by("position").iterator(chunk_size=1):
                    SubscriberImportChunk.objects.create(
                        upload=upload, position=chunk.position, data=chunk.data
                    )
                import_subscribers.enqueue(upload.pk)
            count += 1
        self.message_user(
            request,
            f"{count} file(s) queued for import; the worker reports on each."
            if count
            else "Choose a finished dry run.",
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(
        description="Send the confirmation mailing (imported readers with a recorded consent)",
        permissions=["add"],
    )
    def send_confirmation_mailing(self, request, queryset):
        letters = {
            upload.newsletter
            for upload in queryset.filter(dry_run=False, status=SubscriberImport.Status.DONE)
        }
        if not letters:
            self.message_user(request, "Choose a finished import (not a dry run).", messages.WARNING)
            return
        for letter in letters:
            sent = send_confirmations(letter)
            self.message_user(
                request, f"{letter}: {sent:,} confirmation email(s) queued, once each.", messages.SUCCESS
            )
