"""The rich-text editor for article bodies and static pages (django-prose-editor).

It offers exactly what articles.sanitize keeps, so what an editor sees is what readers get:
paragraphs, h2/h3, quotes, bullet and numbered lists, links, bold, italic, pictures from the
image library with captions, and rules. No tables, code, colours, alignment or raw HTML.
The model fields stay plain TextFields: the sanitizer runs in Article.save and Page.save,
whatever wrote the HTML (this editor, an import, a script).
"""

from django_prose_editor.widgets import AdminProseEditorWidget

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "Blockquote": True,
    "BulletList": True,
    # Numbering styles stay (the sanitizer keeps "type" and "start"), so they render the same.
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "History": True,
    "SpecialCharacters": True,
    # The editor turns the browser's spell checker off unless told not to; writers want it.
    "NoSpellCheck": False,
}

BODY_HELP_TEXT = (
    "Headings, quotes, lists, links, bold and italic come from the toolbar. To add a picture, "
    "upload it to the image library, copy its “Address for the body editor” (shown in the "
    "library list and on the image's page), then use the picture button and paste it. Only "
    "pictures from our own library are kept."
)


def body_editor():
    return AdminProseEditorWidget(config={"extensions": BODY_EXTENSIONS}, preset="configurable")
