from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.saved_since_opened import SavedSinceOpenedCheck

from .. import imaging
from ..exceptions import IllegalTransition, StaleVersion
from ..models import Article, ArticleRevision, Image, Page
from ..sanitize import foreign_pictures
from ..tag_input import tag_name_problem
from .editor import BODY_HELP_TEXT, body_editor

# Fields only someone with articles.publish_article may set: they decide when and where readers see it.
PUBLISHING_FIELDS = ("published_at", "placement", "pinned_until")

STALE_MESSAGE = (
    "Someone else saved this article since you opened it{by}. Nothing you changed has been saved: "
    "copy anything you want to keep, then reload the page to see their version and make your "
    "changes again."
)
STALE_OWN_MESSAGE = (
    "You saved this article in another tab or window since you opened this one{by}. Nothing you "
    "changed here has been saved: copy anything you want to keep, then reload the page to see the "
    "saved version and make your changes again."
)
# About how much of a headline search results show, and of a summary search results and social
# cards show: a guide for the writer, never a limit (the model's own limits are 200 and 500).
HEADLINE_SHOWN = 60
STANDFIRST_SHOWN = 160
FORCED_PUBLISH_MESSAGE = (
    "Only an editor can publish or schedule an article, or place it on the home page. "
    "Set the status to “In review” to hand it to an editor."
)


def refuse_foreign_pictures(body):
    """A picture from another site would be dropped on save: say so, and keep what was typed."""
    foreign = foreign_pictures(body)
    if foreign:
        raise ValidationError(
            "Pictures must come from our image library: upload the picture under Images, then use "
            f"its address. This one is from elsewhere: {foreign[0][:200]}"
        )
    return body


class BodyFormMixin:
    def clean_body(self):
        return refuse_foreign_pictures(self.cleaned_data.get("body", ""))


class ArticleAdminForm(BodyFormMixin, forms.ModelForm):
    # The version the form was opened at; a save from an older version is refused (optimistic lock).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set per request by ArticleAdmin.get_form.
    can_publish = False
    editing_user_id = None

    class Media:
        js = ["js/tag-suggest.js", "js/character-count.js"]

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "featured_image",
            "section",
            "authors",
            "tags",
            "status",
            "published_at",
            "placement",
            "pinned_until",
            "comments",
        ]
        widgets = {"body": body_editor()}
        help_texts = {
            "headline": "Short and plain: it is also the title in search results and on social media, "
            f"which show about {HEADLINE_SHOWN} characters.",
            "standfirst": "The one- or two-sentence summary under the headline; search results and "
            f"social cards show about {STANDFIRST_SHOWN} characters of it.",
            "body": BODY_HELP_TEXT,
            "section": "Where the story lives in the site's navigation.",
            "authors": "Type a name to find an author. Left empty on a new article, the byline is "
            "yours if your account has an author profile.",
            "featured_image": "Type to search the image library by alt text, caption or credit; "
            "upload new pictures there first.",
            "status": "Draft: only the newsroom sees it. In review: ready for an editor. Published: "
            "readers see it from the publication time on.",
            "published_at": "Leave empty to publish now. A future time schedules the article: it "
            "appears by itself then.",
            "placement": "Pin the story as the lead or a top story on the home page.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "opened_version" in self.fields:
            self.fields["opened_version"].initial = self.instance.version
        for name, shown, where in (
            ("headline", HEADLINE_SHOWN, "search results"),
            ("standfirst", STANDFIRST_SHOWN, "search results and social cards"),
        ):
            if name in self.fields:
                # character-count.js counts against these as the writer types.
                self.fields[name].widget.attrs.update({"data-count-limit": shown, "data-count-where": where})
        if "standfirst" in self.fields:
            self.fields["standfirst"].widget.attrs["rows"] = 3  # a sentence or two, not a page
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            allowed = {Article.Status.DRAFT, Article.Status.REVIEW}
            status.choices = [(value, label) for value, label in status.choices if value in allowed]
            status.help_text = "Draft while you write; “In review” hands it to an editor to publish."
        tags = self.fields.get("tags")
        if tags is not None:
            tags.widget.attrs.setdefault("class", "vLargeTextField")
            # tag-suggest.js offers existing tags as the editor types (a native <datalist>).
            tags.widget.attrs["data-suggest-url"] = reverse("admin:articles_article_tag_suggestions")
            tags.widget.attrs["autocomplete"] = "off"
            tags.help_text = "Separate tags with commas, e.g. “Housing, Rent strikes”."

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        problems = [tag_name_problem(name) for name in names]
        problems = [problem for problem in problems if problem]
        if problems:
            raise ValidationError(problems)
        return names

    def clean(self):
        cleaned = super().clean()
        if not self.can_publish:
            # Those fields are not on a contributor's form; a request that sends them anyway is
            # refused rather than quietly ignored.
            forced = [
                name
                for name in PUBLISHING_FIELDS
                if any(self.data.get(key) for key in (name, f"{name}_0", f"{name}_1"))
            ]
            if forced or cleaned.get("status") == Article.Status.PUBLISHED:
                raise ValidationError(FORCED_PUBLISH_MESSAGE, code="forbidden")
        if self.instance.pk:
            self._check_not_stale()
        self._plan_moves(cleaned)
        return cleaned

    def _plan_moves(self, cleaned):
        """The status and date the editor chose become the article's own moves (publish, schedule,
        unpublish...), made on save; one the article refuses is a form error, and nothing is lost."""
        self.moves = []
        if "status" not in cleaned:
            return
        published_at = cleaned.get("published_at", self.instance.published_at)
        try:
            self.moves = self.instance.moves_to(cleaned["status"], published_at, timezone.now())
        except IllegalTransition as refusal:
            raise ValidationError(str(refusal), code="illegal_move") from None

    def _check_not_stale(self):
        """The model refuses a save made from an older version (Article.save, StaleVersion);
        asked here first, it gives the editor a form error saying who saved it and when.

        The stored row stays locked until the admin's save commits (select_for_update on
        PostgreSQL; SQLite's immediate transactions serialise writers anyway).
        """
        opened = self.cleaned_data.get("opened_version")
        try:
            self.instance.refuse_if_stale(opened)
        except StaleVersion:
            raise ValidationError(self._stale_message(), code="stale") from None
        # The save checks again against the version the editor opened, not the one just loaded.
        self.instance.version = opened

    def _stale_message(self):
        latest = (
            ArticleRevision.objects.filter(article_id=self.instance.pk).select_related("created_by").first()
        )
        if latest is not None and latest.created_by_id and latest.created_by_id == self.editing_user_id:
            when = timezone.localtime(latest.created_at).strftime("%H:%M on %d %b")
            return STALE_OWN_MESSAGE.format(by=f" (at {when})")
        by = ""
        if latest is not None:
            who = ""
            if latest.created_by is not None:
                who = latest.created_by.get_full_name() or latest.created_by.get_username()
            when = timezone.localtime(latest.created_at).strftime("%H:%M on %d %b")
            by = f" ({who}, {when})" if who else f" ({when})"
        return STALE_MESSAGE.format(by=by)


class PageAdminForm(BodyFormMixin, SavedSinceOpenedCheck):
    class Meta:
        model = Page
        fields = ["title", "slug", "summary", "body", "in_footer", "position"]
        widgets = {"body": body_editor()}
        help_texts = {"body": BODY_HELP_TEXT}


class ImageAdminForm(forms.ModelForm):
    """Uploads go through Image.store_upload: checked, turned upright and stripped of metadata."""

    upload = forms.FileField(
        label="Picture",
        required=False,
        help_text="A JPEG, PNG, WebP or GIF, at most {mb} MB and {mp} million pixels. Location and "
        "camera details are removed when it is stored.",
    )

    class Meta:
        model = Image
        fields = ["alt_text", "caption", "credit"]
        help_texts = {
            "alt_text": "Required. What the picture shows, for readers who cannot see it (not “image of…”).",
            "caption": "Shown under the picture.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        upload = self.fields["upload"]
        upload.help_text = upload.help_text.format(
            mb=imaging.max_bytes() // 1_048_576, mp=imaging.max_pixels() // 1_000_000
        )
        if self.instance.pk:
            upload.label = "Replace the picture"

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # The clear message (too big, not an image, damaged) shows on the field.
            imaging.open_checked(upload)
        elif not self.instance.file:
            raise ValidationError("Choose a picture to upload.", code="required")
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        # Stored only once everything else is valid, so a rejected form leaves no stray file.
        if upload and not self.errors:
            try:
                self.instance.store_upload(upload)
            except ValidationError as error:
                self.add_error("upload", error)
        return cleaned
