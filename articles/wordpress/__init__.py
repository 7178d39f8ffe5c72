"""Bringing a WordPress site's archive into Canary.

* ``wxr``: reads a WordPress export file (WXR) as a stream of small records, safely.
* ``content``: turns WordPress post bodies (classic editor, blocks, shortcodes) into plain HTML.
* ``importer``: maps the records onto Canary's models; ``import_wordpress`` is its command.
* ``sample``: writes large synthetic exports for benchmarks.
"""
