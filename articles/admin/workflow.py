"""Moving articles through the newsroom: publish, unpublish, withdraw and reinstate.

The moves themselves are Article's methods (articles.models.workflow), which check the state
and the permission and record the history; here they are offered as buttons and bulk actions
(hidden from those without the permission, refused on the server all the same) and logged.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from core.counted import counted

from ..exceptions import IllegalTransition
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

    def _say(self, request, count, one, several, none):
        level = messages.SUCCESS if count else messages.WARNING
        self.message_user(request, counted(count, one, several, none), level)

    def _log_move(self, request, article, action, note=""):
        label = Action(action).label
        self.log_change(request, article, f"{label}: {note}" if note else label)

    def _move_each(self, request, queryset, move, action):
        """Make one move on each selected article the move allows; the others are left as they are."""
        count = 0
        with transaction.atomic():
            for article in queryset.select_for_update():
                try:
                    move(article)
                except IllegalTransition:
                    continue
                self._log_move(request, article, action)
                count += 1
        return count

    # --- Bulk actions on the article list ------------------------------------------------------

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        count = self._move_each(
            request, queryset, lambda article: article.publish(by=request.user), Action.PUBLISHED
        )
        self._say(
            request,
            count,
            "Article published.",
            "{count} articles published.",
            "Nothing published: the articles you chose were already live or cannot be published.",
        )

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = self._move_each(
            request, queryset, lambda article: article.unpublish(by=request.user), Action.UNPUBLISHED
        )
        self._say(
            request,
            count,
            "Article unpublished: it is a draft again.",
            "{count} articles unpublished: they are drafts again.",
            "Nothing unpublished: none of the articles you chose was live.",
        )

    @admin.action(description="Lift the withdrawal of selected articles", permissions=["withdraw"])
    def reinstate_selected(self, request, queryset):
        count = self._move_each(
            request, queryset, lambda article: article.reinstate(by=request.user), Action.REINSTATED
        )
        self._say(
            request,
            count,
            "Withdrawal lifted: readers can see the article again.",
            "Withdrawal lifted on {count} articles: readers can see them again.",
            "Nothing changed: none of the articles you chose was withdrawn.",
        )

    def _set_comments(self, request, queryset, setting, verb):
        count = 0
        # Each row read under its lock, as the moves are: a story another editor saved after the
        # list was drawn is changed from its saved version, never refused as stale (a 500).
        with transaction.atomic():
            for article in queryset.select_for_update():
                if not self.has_change_permission(request, article):
                    continue
                article.comments = setting
                self._save_move(request, article, ["comments"], Action.COMMENTS, verb)
                count += 1
        self._say(
            request,
            count,
            f"Comments {verb} on the article.",
            f"Comments {verb} on {{count}} articles.",
            "Nothing changed: you may not change those articles.",
        )

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
            reason = form.cleaned_data["reason"]
            try:
                article.withdraw(reason, by=request.user)
            except IllegalTransition as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
                return redirect("admin:articles_article_change", article.pk)
            self._log_move(request, article, Action.WITHDRAWN, reason)
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
        try:
            article.reinstate(by=request.user)
        except IllegalTransition:
            pass  # already lifted, by someone else perhaps: the outcome the editor asked for
        else:
            self._log_move(request, article, Action.REINSTATED)
        self.message_user(
            request, "The withdrawal is lifted: readers can see the article again.", messages.SUCCESS
        )
        return redirect("admin:articles_article_change", article.pk)
