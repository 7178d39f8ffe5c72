"""The Jinja2 environment the reader's pages are rendered with (templates/jinja2/).

Readers' pages moved from Django's template language to Jinja2 for speed: Jinja2 compiles a
template to Python once, where Django's language walks its nodes and resolves each variable
through several lookups on every render. An uncached article page spent half its CPU
rendering; the page cache misses exactly when a story is new or has just changed, which is
when a spike arrives. The admin keeps Django's templates (templates/admin/).

The pieces a page repeats (teasers, pictures, comments) are the same Python functions the
Django template tags were; Django's own filters are used where a template needs one, so dates,
plurals and escaping read as before.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context

from articles.comment_forms import blank_fields
from articles.story_parts import (
    comment_list,
    comment_text,
    day_and_time,
    iso_seconds,
    news_article_json_ld,
    picture,
    site_name,
    tag_url,
    teaser,
)
from core.links import link
from newsletters import offer as newsletter_offer
from newsletters import wording as newsletter_wording
from readership.most_read import most_read_on_page
from readership.objection import objection_box
from supporters import slots


def date(value, arg=None):
    """Django's date filter, in the site's time zone as Django's templates would show it."""
    return defaultfilters.date(template_localtime(value), arg)


@lru_cache(maxsize=256)
def cached_static(path):
    """A static file's address. With hashed names it is looked up in the manifest, a tenth of a
    millisecond a call; the manifest is read once per process, so the answer can be kept."""
    return static(path)


@receiver(setting_changed)
def forget_static_addresses(setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        cached_static.cache_clear()


def truncatechars(value, length):
    """Django's truncatechars, which walks every character, for text that needs no cutting."""
    text = str(value)
    return text if len(text) <= length else defaultfilters.truncatechars(text, length)


def url(name, *args, **kwargs):
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    return link(name, *args)


def environment(**options):
    # Escaping is never optional on a reader's page. Chainable undefined, as Django's templates
    # are forgiving: {{ article.section.name }} on a page with no article prints nothing.
    options.pop("autoescape", None)
    options.pop("undefined", None)
    env = Environment(autoescape=True, undefined=ChainableUndefined, **options)
    env.globals.update(
        static=cached_static,
        url=url,
        site_name=site_name,
        teaser=teaser,
        picture=picture,
        comment_list=comment_list,
        blank_comment_fields=blank_fields,
        # The slots read the page's context (is the reader a member? the article's tags).
        appeal_slot=pass_context(slots.appeal_slot),
        ad_slot=pass_context(slots.ad_slot),
        article_body=pass_context(slots.article_body),
        readership_objection=objection_box,
        # Readers' "Most read"; the page showing it is cached only until the list changes.
        most_read=most_read_on_page,
        # The shared newsletter sign-up form: the same for every reader (newsletters/offer.py).
        newsletter_offer=newsletter_offer.public_offer,
        newsletter_wording=lambda: newsletter_wording.current()[1],
    )
    env.filters.update(
        date=date,
        truncatechars=truncatechars,
        urlencode=defaultfilters.urlencode,
        pluralize=defaultfilters.pluralize,
        linebreaks=defaultfilters.linebreaks_filter,
        linebreaksbr=defaultfilters.linebreaksbr,
        floatformat=defaultfilters.floatformat,
        intcomma=intcomma,
        iso_seconds=iso_seconds,
        day_and_time=day_and_time,
        news_article_json_ld=news_article_json_ld,
        comment_text=comment_text,
        tag_url=tag_url,
    )
    macros = None
    for name in settings.STORY_PARTS:
        if name not in settings.PYTHON_STORY_PARTS:
            # The same piece as a Jinja macro (PYTHON_STORY_PARTS), in every template at once.
            macros = macros or env.get_template("includes/story_parts.html").module
            env.globals[name] = getattr(macros, name)
    return env
