"""Issues in the admin: compose a draft from published stories, then preview, test and send it.

Only a draft can be changed: the model refuses any other save (Issue.save, Story.save), and
here a scheduled, sending or sent issue is shown read-only, with its sending status and its
clicks per link, and the moves its status allows (issue_views).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.utils.html import format_html

from articles.admin.images import thumbnail

from ..exceptions import NotEditable
from ..models import Issue, Story
from .issue_views import IssueViewsMixin, refusal


class ChosenArticle(forms.Widget):
    """A story's article once chosen: its headline as text, no input (the field is disabled)."""

    def __init__(self, label):
        super().__init__()
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<span class="chosen-article">{}</span>', self.label)


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["position", "article", "headline", "standfirst"]
        widgets = {
            "position": forms.NumberInput(attrs={"style": "width: 4em"}),
            "headline": forms.TextInput(attrs={"size": 24}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 24}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headline"].required = False
        self.fields["headline"].help_text = "Blank: the article's own."
        self.fields["standfirst"].help_text = "Blank: the article's own."
        if self.instance.pk and self.instance.article_id:
            # A story's article is fixed once added (remove it and add another to change it):
            # the page then needs no look-up per story.
            self.fields["article"].disabled = True
            self.fields["article"].widget = ChosenArticle(self.instance.article)

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
        if article is None:
            if not self.instance.pk and not self.errors:
                self.add_error("article", "Pick a published article.")
            return cleaned
        if "article" in self.changed_data:
            for name in ("headline", "standfirst"):
                if name not in self.changed_data or not cleaned.get(name):
                    cleaned[name] = getattr(article, name)
            self.instance.copy_article(article)
        elif not cleaned.get("headline"):
            cleaned["headline"] = self.instance.headline or article.headline
        return cleaned


class StoryInline(admin.TabularInline):
    model = Story
    form = StoryForm
    extra = 1
    autocomplete_fields = ["article"]
    readonly_fields = ["shown_as"]
    fields = ["position", "article", "shown_as", "headline", "standfirst"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("picture", "article")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "article":
            # Articles are written on their own pages, not from inside an issue.
            for can in ("add", "change", "delete", "view"):
                setattr(field.widget, f"can_{can}_related", False)
        return field

    @admin.display(description="Story")
    def shown_as(self, story):
        if not story or not story.pk:
            return "Pick an article; its picture and link come with it when you save."
        return format_html(
            '{}<div class="help"><a href="{}" target="_blank" rel="noopener" title="{}">Open the story</a></div>',
            thumbnail(story.picture, 96) if story.picture else "No picture",
            story.link,
            story.link,
        )


@admin.register(Issue)
class IssueAdmin(IssueViewsMixin, admin.ModelAdmin):
    change_form_template = "admin/newsletters/issue/change_form.html"
    list_display = ["subject", "newsletter", "status", "send_at", "finished_at", "recipients"]
    list_filter = ["newsletter", "status"]
    list_select_related = ["newsletter"]
    search_fields = ["subject"]
    show_facets = admin.ShowFacets.NEVER
    inlines = [StoryInline]
    fieldsets = [
        (None, {"fields": ["newsletter", "subject", "preheader"]}),
        ("Words", {"fields": ["introduction", "email_only"]}),
    ]

    @admin.display(description="Sent", ordering="finished_at")
    def finished_at(self, issue):
        return issue.finished_at

    def view_on_site(self, issue):
        """Only a sent issue of a public, open letter has a page on the site."""
        letter = issue.newsletter
        if issue.status == Issue.Status.SENT and letter.public and not letter.members_only:
            return issue.get_absolute_url()
        return None

    def has_change_permission(self, request, obj=None):
        # Anything past a draft is shown read-only: the model would refuse a save anyway.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_deleted_objects(self, objs, request):
        # A list's bulk delete would take sent issues with it: those are kept.
        deleted = super().get_deleted_objects(objs, request)
        if any(not issue.is_draft for issue in objs):
            return [], {}, {"Only draft issues may be deleted"}, []
        return deleted

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            issue = self.get_object(request, unquote(object_id))
            if issue is not None and not issue.is_draft:
                return self.refused(request, issue, NotEditable(issue.status))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NotEditable as error:  # it left draft between the check and the save
            return self.refused(request, Issue.objects.get(pk=unquote(object_id)), error)

    def refused(self, request, issue, error):
        self.message_user(request, f"{refusal(error)} Your changes were not saved.", messages.ERROR)
        return redirect("admin:newsletters_issue_change", issue.pk)
