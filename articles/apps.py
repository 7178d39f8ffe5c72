from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import emails, navigation, search, tasks  # noqa: F401 - emails registers the comment emails
        from .models import Article, Image, Page, Section
        from .models.tags import tag_saving
        from .services import media_files

        for model in (Section, Page):
            for signal in (post_save, post_delete):
                signal.connect(
                    navigation.forget, sender=model, dispatch_uid=f"articles-nav-{model.__name__}-{signal}"
                )

        post_save.connect(tasks.image_saved, sender=Image, dispatch_uid="articles-image-renditions")
        # A replaced or deleted picture's files leave the storage once the change commits.
        post_save.connect(media_files.image_saved, sender=Image, dispatch_uid="articles-image-files")
        post_delete.connect(media_files.image_deleted, sender=Image, dispatch_uid="articles-image-gone")

        # Keep the reader search index current: an article's own text, and its tags, which
        # taggit adds and removes as through rows (and a tag may be renamed).
        tagged_item = Article.tags.through
        post_save.connect(search.article_saved, sender=Article, dispatch_uid="articles-search-article-save")
        post_delete.connect(
            search.article_deleted, sender=Article, dispatch_uid="articles-search-article-delete"
        )
        post_save.connect(
            search.tagging_changed, sender=tagged_item, dispatch_uid="articles-search-tagged-save"
        )
        post_delete.connect(
            search.tagging_changed, sender=tagged_item, dispatch_uid="articles-search-tagged-delete"
        )
        post_save.connect(
            search.tag_saved, sender=tagged_item.tag_model(), dispatch_uid="articles-search-tag"
        )
        # A flush (manage.py flush, a transactional test) empties the models' tables but not
        # SQLite's FTS5 index, which is no model's table; flush then sends post_migrate.
        post_migrate.connect(search.forget_flushed_stories, sender=self, dispatch_uid="articles-search-flush")
        # Whatever saves a tag (the admin, the importer, a shell): a clean name, no look-alikes.
        pre_save.connect(tag_saving, sender=tagged_item.tag_model(), dispatch_uid="articles-tag-names")
