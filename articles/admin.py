from django.contrib import admin

from .models import ActionLink, Article, Author, Image, OldPath, Page, Section


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    extra = 1
    fields = ["label", "url", "position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "section", "published_at", "comments"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors", "featured_image"]
    date_hierarchy = "published_at"
    inlines = [ActionLinkInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst"]}),
        ("Body", {"fields": ["body"]}),
        ("Image", {"fields": ["featured_image"]}),
        ("Filing", {"fields": ["section", "authors", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "placement", "pinned_until"]}),
        ("Comments", {"fields": ["comments"]}),
    ]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "width", "height", "uploaded_at"]
    search_fields = ["alt_text", "caption", "credit"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(OldPath)
class OldPathAdmin(admin.ModelAdmin):
    list_display = ["path", "target_type", "target_id", "created_at"]
    search_fields = ["path"]
