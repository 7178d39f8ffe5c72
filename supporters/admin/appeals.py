from django import forms
from django.contrib import admin
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from core.form_widgets import LabelledSplitDateTime

from .. import report
from ..forms import money
from ..models import AdSlot, CallToAction, HouseAd
from .appeal_form import CallToActionForm
from .appeal_preview import preview_view, suggestions_view


class PeriodForm(forms.Form):
    # A date input shows only an ISO value (YYYY-MM-DD); the locale's format leaves the box empty.
    start = forms.DateField(label="From", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        for field in ("start", "end"):
            if data.get(field) and not 1990 <= data[field].year <= 2200:
                self.add_error(field, "Choose a date between 1990 and 2200.")
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The period must start before it ends.")
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3660:
            raise forms.ValidationError("Choose a period of at most ten years.")
        return data


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    form = CallToActionForm
    list_display = ["name", "placement", "audience", "weight", "enabled", "active_from", "active_until"]
    list_filter = ["placement", "audience", "enabled"]
    list_editable = ["weight", "enabled"]
    search_fields = ["name", "headline"]
    # The change form shows the preview after the second set, beside the words it shows.
    fieldsets = [
        (None, {"fields": ["name", "placement", "after_paragraph", "opened_state"]}),
        ("What readers see", {"fields": ["headline", "text", "button_label", "link"]}),
        ("Beside which stories", {"fields": ["sections", "tags"]}),
        ("Who and when", {"fields": ["audience", "active_from", "active_until", "weight", "enabled"]}),
    ]
    change_list_template = "admin/supporters/calltoaction/change_list.html"
    change_form_template = "admin/supporters/calltoaction/change_form.html"
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}

    class Media:
        js = ["js/tag-suggest.js", "js/appeal-form.js"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(preview_view(self)), name="supporters_calltoaction_preview"),
            path(
                "suggestions/<str:kind>/",
                wrap(suggestions_view(self)),
                name="supporters_calltoaction_suggestions",
            ),
            path(
                "report/", self.admin_site.admin_view(self.report_view), name="supporters_calltoaction_report"
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        if not request.user.has_perm("supporters.view_giving_totals"):
            return TemplateResponse(request, "admin/supporters/report_denied.html", status=403)
        # This month so far unless asked otherwise: the dashboard's figures, row by row.
        today = timezone.localdate()
        start, end = today.replace(day=1), today
        form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        figures = report.attributed(start, end)
        for row in [*figures["calls"], *figures["articles"], *figures["newsletters"]]:
            row["money"] = money(row["pence"])
        figures["totals"]["received"] = money(figures["totals"]["received_pence"])
        context = {
            **self.admin_site.each_context(request),
            "title": "What our appeals brought in",
            "form": form,
            "start": start,
            "end": end,
            **figures,
        }
        return TemplateResponse(request, "admin/supporters/report.html", context)


class HouseAdInline(admin.TabularInline):
    model = HouseAd
    extra = 1
    autocomplete_fields = ["image"]
    fields = ["name", "image", "link", "weight", "enabled", "active_from", "active_until"]


@admin.register(AdSlot)
class AdSlotAdmin(admin.ModelAdmin):
    list_display = ["placement", "enabled", "after_paragraph", "min_paragraphs"]
    inlines = [HouseAdInline]
