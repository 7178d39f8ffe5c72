"""An article's history in the admin: every saved version, what changed, and restoring one."""

import html
import re
from difflib import SequenceMatcher

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ..models import Article, ArticleRevision

REVISIONS_PER_PAGE = 20
_BLOCK = re.compile(r"</?(?:p|br|h[1-6]|blockquote|ul|ol|li|figure|figcaption|hr|div)\b[^>]*>", re.I)
_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r'\balt="([^"]*)"', re.I)
_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"(\s+)")
# Comparing word by word costs the product of the two lengths: two 4,000-word paragraphs took
# seconds, and a page shows twenty versions. Past this, a paragraph shows as replaced whole.
WORD_DIFF_LIMIT = 1_000_000


def _picture_line(match):
    alt = _ALT.search(match.group(0))
    return f"\n[Picture: {alt.group(1) if alt else ''}]\n"


def text_blocks(value, is_html=False):
    """Readable lines of text: a paragraph, heading or list item each; pictures by their alt text."""
    if not value:
        return []
    if is_html:
        value = _IMAGE.sub(_picture_line, value)
        value = html.unescape(_TAG.sub("", _BLOCK.sub("\n", value)))
    return [line.strip() for line in value.split("\n") if line.strip()]


def _word_diff(old, new):
    """One changed line, words taken out struck through and words put in underlined."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    if len(a) * len(b) > WORD_DIFF_LIMIT:
        return format_html("<del>{}</del><ins>{}</ins>", old, new)
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def text_diff(old_blocks, new_blocks, context=1):
    """An HTML-escaped diff of two lists of lines, with unchanged stretches folded away."""
    rows = []
    opcodes = SequenceMatcher(None, old_blocks, new_blocks, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = old_blocks[i1:i2]
            head = same[:context] if index > 0 else []
            tail = same[-context:] if index < len(opcodes) - 1 and len(same) > len(head) else []
            hidden = len(same) - len(head) - len(tail)
            rows += [format_html('<p class="diff-same">{}</p>', line) for line in head]
            if hidden > 0:
                rows.append(
                    format_html(
                        '<p class="diff-fold">… {} unchanged paragraph{} …</p>',
                        hidden,
                        "" if hidden == 1 else "s",
                    )
                )
            rows += [format_html('<p class="diff-same">{}</p>', line) for line in tail]
        else:
            old, new = old_blocks[i1:i2], new_blocks[j1:j2]
            for k in range(max(len(old), len(new))):
                if k < len(old) and k < len(new):
                    rows.append(format_html('<p class="diff-changed">{}</p>', _word_diff(old[k], new[k])))
                elif k < len(old):
                    rows.append(format_html('<p class="diff-changed"><del>{}</del></p>', old[k]))
                else:
                    rows.append(format_html('<p class="diff-changed"><ins>{}</ins></p>', new[k]))
    return mark_safe("".join(str(row) for row in rows))  # noqa: S308 - rows are format_html output


def _when(value):
    moment = parse_datetime(value) if value else None
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else "not set"


DESCRIBE = {
    "section": lambda v: v["name"],
    "authors": lambda v: ", ".join(a["name"] for a in v) or "nobody",
    "tags": lambda v: ", ".join(v) or "none",
    "action_links": lambda v: "; ".join(f"{link['label']} ({link['url']})" for link in v) or "none",
    "featured_image": lambda v: f"image #{v}" if v else "none",
    "status": lambda v: dict(Article.Status.choices).get(v, v),
    "published_at": _when,
}
FIELDS = [
    ("headline", "Headline"),
    ("standfirst", "Standfirst"),
    ("body", "Body"),
    ("section", "Section"),
    ("authors", "Authors"),
    ("tags", "Tags"),
    ("action_links", "“Get involved!” links"),
    ("featured_image", "Featured image"),
    ("status", "Status"),
    ("published_at", "Publication time"),
]


def changes(before, after):
    """What differs between two snapshots, each with an escaped, readable diff."""
    found = []
    for name, label in FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in ("headline", "standfirst", "body"):
            diff = text_diff(text_blocks(old, name == "body"), text_blocks(new, name == "body"))
            if not diff:
                diff = format_html('<p class="diff-same">{}</p>', "Formatting or links changed.")
        else:
            describe = DESCRIBE[name]
            diff = format_html(
                '<p class="diff-changed"><del>{}</del> → <ins>{}</ins></p>',
                describe(old) if old is not None else "none",
                describe(new) if new is not None else "none",
            )
        found.append({"label": label, "diff": diff})
    return found


class ArticleHistoryMixin:
    """The "History" button of an article: its versions with diffs, and restoring one."""

    object_history_template = "admin/articles/article/history.html"

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = article.revisions.select_related("created_by")
        page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
        # One more than the page, so the oldest on the page has something to be compared with.
        start = (page.number - 1) * REVISIONS_PER_PAGE
        shown = list(revisions[start : start + REVISIONS_PER_PAGE + 1])
        entries = []
        for position, revision in enumerate(shown[:REVISIONS_PER_PAGE]):
            older = shown[position + 1] if position + 1 < len(shown) else None
            entries.append(
                {
                    "revision": revision,
                    "is_current": start + position == 0 and revision.version == article.version,
                    "changes": changes(older.snapshot, revision.snapshot) if older else [],
                    "body_lines": text_blocks(revision.snapshot.get("body", ""), is_html=True),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {article}",
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "entries": entries,
            "page_obj": page,
            "can_restore": self.has_change_permission(request, article),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def restore_view(self, request, object_id, revision_id):
        return require_POST(self._restore)(request, object_id, revision_id)

    def _restore(self, request, object_id, revision_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article=article)
        restored = revision.restore(request.user)
        self.log_change(request, article, f"Restored {restored.note}")
        self.message_user(
            request,
            f"Restored {restored.note}: body, authors, tags and “Get involved!” links are back, saved "
            f"as version {restored.version}.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)
