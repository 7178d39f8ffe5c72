"""Authors in the admin: editors keep every byline; each writer keeps their own page's words."""

from django.contrib import admin

from ..models import Author

# What a writer may change on their own author page without the right to edit authors.
OWN_PAGE_FIELDS = ["role", "bio", "photo"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    fields = ["name", "slug", "role", "bio", "photo", "user"]

    def edits_only_own_page(self, request, obj):
        """A writer (a contributor, say) on their own author page: the words and picture are theirs."""
        return (
            obj is not None
            and obj.user_id is not None
            and obj.user_id == request.user.pk
            and not super().has_change_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.edits_only_own_page(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.edits_only_own_page(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The byline's name, its address and whose account it is stay an editor's call.
        if self.edits_only_own_page(request, obj):
            return [name for name in self.fields if name not in OWN_PAGE_FIELDS]
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.edits_only_own_page(request, obj) else super().get_prepopulated_fields(request, obj)
