"""The reader's pages: the front page, stories and their lists, comments, search, previews and the
pages for search engines."""
