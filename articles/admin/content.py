"""The newsroom's admin for articles and the pages around them.

Who may do what is decided here, on the server: a contributor sees and edits only their own
drafts and can never publish or schedule; an editor does everything (see canary/roles.py).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

from core.form_widgets import LabelledSplitDateTime
from core.relative_time import when_column

from ..models import ActionLink, Article, ArticleRevision, Author, Comment, Correction, OldPath, Page, Section
from ..views.preview import SHARE_MAX_AGE, share_url
from .filters import StatusFilter, TagFilter
from .forms import PUBLISHING_FIELDS, ArticleAdminForm, PageAdminForm
from .history import ArticleHistoryMixin
from .images import ImageAdmin, thumbnail
from .locked import LockedBodyMixin
from .refusals import RefusedMoveMixin
from .save_messages import SaveMessageMixin
from .workflow import ArticleWorkflowMixin

__all__ = ["ArticleAdmin", "ImageAdmin"]


class ActionLinkInline(admin.StackedInline):
    """Stacked, not a table: each box keeps its visible label, and a phone need not scroll sideways."""

    model = ActionLink
    extra = 1
    fields = ["label", "url", "position"]
    # "campaigns.canary.example/petition" means the https address, as browsers read it today.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown to readers, dated, at the top of the article)"


@admin.register(Article)
class ArticleAdmin(
    SaveMessageMixin,
    LockedBodyMixin,
    RefusedMoveMixin,
    ArticleHistoryMixin,
    ArticleWorkflowMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "state",
        "section",
        "byline",
        "published",
        "comments_are_open",
        "pending_comments",
    ]
    list_filter = [StatusFilter, "section", "authors", TagFilter, "published_at"]
    list_select_related = ["section"]
    list_per_page = 50
    # Newest first; drafts (no date yet) on top, newest of them first.
    ordering = [F("published_at").desc(nulls_first=True), "-id"]
    search_fields = ["headline", "standfirst", "body"]
    search_help_text = "Searches headlines, standfirsts and body text."
    # One COUNT for the filtered list; none over the whole table on every page, and no per-option
    # counts in the filters (each would be a COUNT over tens of thousands of rows).
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "featured_image"]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    readonly_fields = ["featured_image_preview", "share_link", "withdrawal", "body_as_readers_see_it"]
    date_hierarchy = "published_at"
    inlines = [ActionLinkInline, CorrectionInline]
    actions = ["publish_now", "unpublish", "open_comments", "close_comments", "reinstate_selected"]
    save_on_top = True

    # --- Who sees and changes what ---------------------------------------------------------

    def get_queryset(self, request):
        pending = (
            Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.PENDING)
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .worked_on_by(request.user)
            .annotate(pending_count=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)))
            .prefetch_related("authors")
        )

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is None and not self.has_publish_permission(request):
            # Someone else's article: refuse plainly rather than pretend it does not exist.
            try:
                exists = Article.objects.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return article

    def _is_own(self, request, article):
        cached = getattr(article, "_own_for", None)
        if cached is None or cached[0] != request.user.pk:
            own = article.created_by_id == request.user.pk or (
                article.pk is not None and article.authors.filter(user=request.user).exists()
            )
            cached = article._own_for = (request.user.pk, own)
        return cached[1]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.has_publish_permission(request):
            return True
        # A contributor: their own article, while it is a draft.
        return obj.status == Article.Status.DRAFT and obj.withdrawn_at is None and self._is_own(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__,
            (form,),
            {"can_publish": self.has_publish_permission(request), "editing_user_id": request.user.pk},
        )

    def get_fieldsets(self, request, obj=None):
        can_publish = self.has_publish_permission(request)
        editable = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        publishing = ["status", *(PUBLISHING_FIELDS if can_publish else [])]
        if obj is not None:
            publishing.append("share_link")
        fieldsets = [
            (None, {"fields": ["headline", "slug", "standfirst", *(["opened_version"] if editable else [])]}),
            self.body_fieldset(obj, editable),
            ("Featured image", {"fields": ["featured_image", "featured_image_preview"]}),
            ("Section, authors and tags", {"fields": ["section", "authors", "tags"]}),
            ("Publishing", {"fields": publishing}),
            ("Comments", {"fields": ["comments"]}),
        ]
        if obj is not None and obj.withdrawn_at is not None:
            fieldsets.insert(0, ("Withdrawn", {"fields": ["withdrawal"]}))
        return fieldsets

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_publish_permission(request):
            # Comment settings belong to editors too; a contributor's list has no bulk actions.
            actions.pop("open_comments", None)
            actions.pop("close_comments", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            ArticleRevision.keep_original(obj.pk)
        if not self.has_publish_permission(request):
            # The form already refuses these; this is the last line, whatever built the object.
            before = (
                Article.objects.filter(pk=obj.pk).values(*PUBLISHING_FIELDS).first()
                if change
                else {"published_at": None, "placement": "", "pinned_until": None}
            )
            if obj.status == Article.Status.PUBLISHED or any(
                getattr(obj, name) != before[name] for name in PUBLISHING_FIELDS
            ):
                raise PermissionDenied("Only an editor can publish or schedule an article.")
        # The words are saved with the state as it is; the state then changes only through the
        # article's own moves (articles/models/workflow.py), each checked and kept in its history.
        moves = getattr(form, "moves", [])
        stored = (
            Article.objects.filter(pk=obj.pk).values("status", "published_at").get()
            if change
            else {"status": Article.Status.DRAFT, "published_at": None}
        )
        wanted, obj.status = obj.status, stored["status"]
        # An empty date on a published story keeps its date; a publish or schedule sets its own.
        kept = obj.published_at is None and wanted == Article.Status.PUBLISHED
        if kept or any(name in ("publish", "schedule") for name, _ in moves):
            obj.published_at = stored["published_at"]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not article.authors.exists():
            # A contributor's own story carries their byline unless they chose another.
            profile = Author.objects.filter(user=request.user).first()
            if profile is not None:
                article.authors.add(profile)
        # A change of status or date made by a move has its own line in the history already.
        moved = ("status", "published_at") if getattr(form, "moves", []) else ("status",)
        changed = [
            form.fields[name].label or name
            for name in form.changed_data
            if name != "opened_version" and name not in moved
        ]
        changed += [str(f.model._meta.verbose_name_plural) for f in formsets if f.has_changed()]
        note = ", ".join(str(c).lower() for c in changed) if change else ""
        action = ArticleRevision.Action.CHANGED if change else ArticleRevision.Action.CREATED
        ArticleRevision.record(article, request.user, action, note)
        # After the words' own history line, so the history reads in the order things happened.
        article.move_to(getattr(form, "moves", []), by=request.user)

    def tag_suggestions_view(self, request):
        """Existing tags for the tag box's suggestions: the most used first, ten at most."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:50]
        names = []
        if term:
            names = list(
                Tag.objects.filter(name__icontains=term)
                .annotate(uses=Count("articles_articletag_items"))
                .order_by("-uses", "name")
                .values_list("name", flat=True)[:10]
            )
        return JsonResponse({"tags": names})

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            path(
                "tag-suggestions/",
                wrap(self.tag_suggestions_view),
                name="{}_{}_tag_suggestions".format(*info),
            ),
            path("<path:object_id>/withdraw/", wrap(self.withdraw_view), name="{}_{}_withdraw".format(*info)),
            path(
                "<path:object_id>/reinstate/", wrap(self.reinstate_view), name="{}_{}_reinstate".format(*info)
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "can_withdraw": self.has_withdraw_permission(request),
            "preview_url": reverse("articles:preview", args=[object_id])
            if str(object_id).isascii() and str(object_id).isdigit()
            else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def view_on_site(self, obj):
        """Only a published article has a page on the site; the others have a preview."""
        return obj.get_absolute_url() if obj.is_published else None

    # --- Columns and read-only fields ---------------------------------------------------------

    published = when_column("published_at", "Published")

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="Authors")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all())

    @admin.display(description="Comments open", boolean=True)
    def comments_are_open(self, article):
        return article.comments_open

    @admin.display(description="Pending comments", ordering="pending_count")
    def pending_comments(self, article):
        count = getattr(article, "pending_count", 0)
        if not count:
            return 0
        url = reverse("admin:articles_comment_changelist")
        return format_html(
            '<a href="{}?article__id__exact={}&amp;status__exact=pending">{}</a>', url, article.pk, count
        )

    @admin.display(description="Preview")
    def featured_image_preview(self, article):
        image = article.featured_image if article else None
        if image is None:
            return "No image yet. Choose one above and save to see it here."
        caption = " · ".join(part for part in (image.caption, image.credit and f"via {image.credit}") if part)
        return format_html(
            '{}<div class="help">Alt text: {}{}</div>',
            thumbnail(image, 360),
            image.alt_text,
            format_html("<br>Caption: {}", caption) if caption else "",
        )

    @admin.display(description="Copy share link")
    def share_link(self, article):
        if article is None or article.pk is None:
            return "—"
        if article.is_published:
            return format_html('Published: <a href="{}">read it on the site</a>.', article.get_absolute_url())
        return format_html(
            '<input type="text" readonly value="{}" size="80" aria-label="Share link for a reviewer">'
            '<div class="help">For a reviewer without an account: it shows the article as readers will '
            'see it and works for {} days. <a href="{}" target="_blank">Preview it yourself</a>.</div>',
            share_url(article),
            SHARE_MAX_AGE.days,
            reverse("articles:preview", args=[article.pk]),
        )

    @admin.display(description="Withdrawal")
    def withdrawal(self, article):
        if article is None or article.withdrawn_at is None:
            return "—"
        by = article.withdrawn_by.get_username() if article.withdrawn_by else "someone"
        return format_html(
            "Withdrawn on {} by {}. Its address answers “410 Gone”.<br>Reason: {}",
            timezone.localtime(article.withdrawn_at).strftime("%d %b %Y, %H:%M"),
            by,
            article.withdrawn_reason or "—",
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "slug", "in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(OldPath)
class OldPathAdmin(admin.ModelAdmin):
    list_display = ["path", "target_type", "target_id", "created_at"]
    search_fields = ["path"]
