"""Moving articles through the newsroom: publish, unpublish, withdraw and reinstate.

Every move is checked against a permission on the server (the buttons are only hidden for
those without it), saves the article through Article.save (so the page cache follows and the
version moves on), and is recorded in the article's history.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Article, ArticleRevision

Action = ArticleRevision.Action


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=2000,
        help_text="For the newsroom's record (a legal complaint, a court order…); readers never see it.",
    )


class ArticleWorkflowMixin:
    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("articles.publish_article")

    def has_withdraw_permission(self, request, obj=None):
        return request.user.has_perm("articles.withdraw_article")

    def _save_move(self, request, article, fields, action, note=""):
        article.save(update_fields=[*fields, "updated_at"])
        ArticleRevision.record(article, request.user, action, note)
        label = Action(action).label
        self.log_change(request, article, f"{label}: {note}" if note else label)

    # --- Bulk actions on the article list ------------------------------------------------------

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        with transaction.atomic():
            for article in queryset.select_for_update():
                if article.is_published or article.withdrawn_at is not None:
                    continue
                article.status = Article.Status.PUBLISHED
                # A scheduled time is brought forward; an earlier date (republishing) is kept.
                if article.published_at is None or article.published_at > now:
                    article.published_at = now
                self._save_move(request, article, ["status", "published_at"], Action.PUBLISHED)
                count += 1
        self.message_user(request, f"Published {count} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        with transaction.atomic():
            for article in queryset.select_for_update().filter(status=Article.Status.PUBLISHED):
                article.status = Article.Status.DRAFT
                self._save_move(request, article, ["status"], Action.UNPUBLISHED)
                count += 1
        self.message_user(
            request, f"Unpublished {count} article(s): they are drafts again.", messages.SUCCESS
        )

    @admin.action(description="Lift the withdrawal of selected articles", permissions=["withdraw"])
    def reinstate_selected(self, request, queryset):
        count = 0
        with transaction.atomic():
            for article in queryset.select_for_update().filter(withdrawn_at__isnull=False):
                self._reinstate(request, article)
                count += 1
        self.message_user(request, f"Lifted the withdrawal of {count} article(s).", messages.SUCCESS)

    def _set_comments(self, request, queryset, setting, verb):
        count = 0
        for article in queryset:
            if not self.has_change_permission(request, article):
                continue
            article.comments = setting
            self._save_move(request, article, ["comments"], Action.COMMENTS, verb)
            count += 1
        self.message_user(request, f"Comments {verb} on {count} article(s).", messages.SUCCESS)

    @admin.action(description="Open comments on selected articles", permissions=["change"])
    def open_comments(self, request, queryset):
        self._set_comments(request, queryset, Article.Comments.OPEN, "opened")

    @admin.action(description="Close comments on selected articles", permissions=["change"])
    def close_comments(self, request, queryset):
        self._set_comments(request, queryset, Article.Comments.CLOSED, "closed")

    # --- Withdrawal ----------------------------------------------------------------------------

    def _workflow_object(self, request, object_id):
        if not self.has_withdraw_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise PermissionDenied
        return article

    def withdraw_view(self, request, object_id):
        article = self._workflow_object(request, object_id)
        if article.withdrawn_at is not None:
            self.message_user(request, "This article is already withdrawn.", messages.WARNING)
            return redirect("admin:articles_article_change", article.pk)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                article = Article.objects.select_for_update().get(pk=article.pk)
                article.withdrawn_at = timezone.now()
                article.withdrawn_reason = form.cleaned_data["reason"]
                article.withdrawn_by = request.user
                self._save_move(
                    request,
                    article,
                    ["withdrawn_at", "withdrawn_reason", "withdrawn_by"],
                    Action.WITHDRAWN,
                    form.cleaned_data["reason"],
                )
            self.message_user(
                request,
                "Withdrawn. Its address now answers “410 Gone” and it has left every list, feed, "
                "sitemap and search.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Withdraw “{article}”",
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/withdraw.html", context)

    def reinstate_view(self, request, object_id):
        return require_POST(self._reinstate_one)(request, object_id)

    def _reinstate_one(self, request, object_id):
        article = self._workflow_object(request, object_id)
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=article.pk)
            if article.withdrawn_at is not None:
                self._reinstate(request, article)
        self.message_user(
            request, "The withdrawal is lifted: readers can see the article again.", messages.SUCCESS
        )
        return redirect("admin:articles_article_change", article.pk)

    def _reinstate(self, request, article):
        article.withdrawn_at = None
        article.withdrawn_reason = ""
        article.withdrawn_by = None
        self._save_move(
            request, article, ["withdrawn_at", "withdrawn_reason", "withdrawn_by"], Action.REINSTATED
        )
