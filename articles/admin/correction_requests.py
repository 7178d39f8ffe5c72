"""Readers' reports of mistakes: the editors' queue, answered once with who answered and when."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from core.relative_time import when_column

from ..models import CorrectionRequest

WAITING = CorrectionRequest.Status.WAITING


class AnswerForm(forms.ModelForm):
    class Meta:
        model = CorrectionRequest
        fields = ["status"]
        labels = {"status": "Answer"}
        help_texts = {
            "status": "Corrected once the correction is on the story (the link above opens it); "
            "“No change needed” if the story was right. A report is answered once."
        }

    def clean_status(self):
        status = self.cleaned_data["status"]
        stored = (
            type(self.instance).objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        )
        if stored is not None and stored != WAITING and status != stored:
            raise ValidationError("Another editor has answered this report since you opened it.")
        return status


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    form = AnswerForm
    list_display = ["report", "story", "received", "status"]
    list_display_links = ["report"]
    list_filter = ["status"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    fields = ["story", "text", "reply_to", "received_at", "status", "settled_at", "settled_by"]
    actions = ["mark_corrected", "mark_no_change"]
    received = when_column("received_at", "Received")

    def has_add_permission(self, request):
        return False  # readers send them, from the story

    def get_readonly_fields(self, request, obj=None):
        # A posted answer is always checked, so a form opened before another editor answered is
        # refused with a word (AnswerForm.clean_status) rather than quietly ignored.
        settled = obj is not None and obj.status != WAITING and request.method != "POST"
        return [name for name in self.fields if name != "status" or settled]

    @admin.display(description="Report")
    def report(self, obj):
        return Truncator(obj.text).chars(140)

    @admin.display(description="Story", ordering="article__headline")
    def story(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}#corrections-group">{}</a>', url, obj.article.headline)

    @admin.display(description="Reply to")
    def reply_to(self, obj):
        if not obj.email:
            return "The reader left no address."
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email)

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data or obj.status == WAITING:
            return
        answer, obj.status = obj.status, WAITING  # settle() makes the move from the stored state
        try:
            obj.settle(answer, by=request.user)
        except CorrectionRequest.AlreadySettled as refusal:
            messages.error(request, str(refusal))

    def _answer(self, request, queryset, answer, said):
        answered = 0
        for report in queryset.filter(status=WAITING):
            try:
                report.settle(answer, by=request.user)
                answered += 1
            except CorrectionRequest.AlreadySettled:
                pass
        if answered:
            noun = "report" if answered == 1 else f"{answered} reports"
            self.message_user(request, f"{noun.capitalize()} marked “{said}”.", messages.SUCCESS)
        else:
            self.message_user(request, "Those reports were already answered.", messages.WARNING)

    @admin.action(description="Mark as corrected", permissions=["change"])
    def mark_corrected(self, request, queryset):
        self._answer(request, queryset, CorrectionRequest.Status.CORRECTED, "corrected")

    @admin.action(description="Mark as no change needed", permissions=["change"])
    def mark_no_change(self, request, queryset):
        self._answer(request, queryset, CorrectionRequest.Status.NO_CHANGE, "no change needed")
