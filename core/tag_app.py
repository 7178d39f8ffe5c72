"""django-taggit under a plain name: the admin's menu says "Tags", not the library's "Taggit"."""

from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    verbose_name = "Tags"
