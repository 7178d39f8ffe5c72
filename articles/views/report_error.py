"""Readers tell the editors about a mistake in a published story.

The story's page is cached for everyone and sets no cookie, so it only links here; this page is
the reader's own (never cached) and carries the form's CSRF token.
"""

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.client_address import client_ip

from ..models import Article, CorrectionRequest

SHORTEST = 10


class ReportForm(forms.ModelForm):
    # Left empty by people; filled by the robots that fill every box.
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)

    class Meta:
        model = CorrectionRequest
        fields = ["text", "email"]
        labels = {"text": "What is wrong, and what is right?", "email": "Your email (optional)"}
        help_texts = {
            "text": "Quote the words that are wrong and say what is right; a link to a source helps.",
            "email": "Only if you would like a reply. We never show it and use it for nothing else.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 7, "maxlength": 2000})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < SHORTEST:
            raise forms.ValidationError(
                f"Please tell us a little more: at least {SHORTEST} characters, so an editor can find it."
            )
        return text


def report_page(request, article, form, *, status=200, refused=None):
    context = {"article": article, "form": form, "refused": refused}
    response = render(request, "articles/report_error.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report_error(request, article_id):
    article = get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)
    if request.method == "GET":
        return report_page(request, article, ReportForm())
    form = ReportForm(request.POST)
    if not form.is_valid():
        return report_page(request, article, form, status=400)
    if form.cleaned_data["website"]:
        return redirect("articles:report-error-thanks", article.pk)  # a robot: thanked, not stored
    limit = settings.CORRECTION_REPORT_RATE_LIMIT
    if not ratelimit.allow("corrections:client", client_ip(request), limit, window=3600):
        refused = (
            f"You have sent {limit} reports in the last hour, the most we take from one place. "
            "Your words are still here: please try again later, or email the editors."
        )
        return report_page(request, article, form, status=429, refused=refused)
    form.instance.article = article
    form.save()
    return redirect("articles:report-error-thanks", article.pk)


@never_cache
@require_GET
def thanks(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    return render(request, "articles/report_error_thanks.html", {"article": article})
