"""Bringing a WordPress site's archive into Canary.

* ``wxr``: reads a WordPress export file (WXR) as a stream of small records, safely.
* ``content``: turns WordPress post bodies (classic editor, blocks, shortcodes) into plain HTML.
* ``importer``: maps the records onto Canary's models; ``import_wordpress`` is its command.
  It runs the passes; ``mapping`` (posts, pages, sections, authors, tags), ``comments`` and
  ``media`` (pictures) hold what each record becomes, ``summary`` the report and ``values``
  the small conversions (text, dates, slugs, old paths) they share.
* ``sample``: writes large synthetic exports for benchmarks.
"""
