import re
import time
from functools import cache

from django import forms
from django.core import signing
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from .models import Comment

RENDER_SALT = "canary.comments.rendered"
LINK_PATTERN = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def render_stamp(request):
    """A signed 'form shown at' time for this browser: proves how long the reader had the form.

    It names the browser's CSRF cookie (by a hash), so a stamp fetched once cannot be replayed
    from other browsers. Anonymous readers have no session, which would keep them out of the
    page cache; the CSRF cookie the token request sets anyway is what binds the stamp.
    """
    get_token(request)  # gives the browser a CSRF cookie if it has none yet
    return stamp_for(request.META["CSRF_COOKIE"], time.time())


def stamp_for(csrf_secret, shown_at):
    return signing.dumps([shown_at, browser_hash(csrf_secret)], salt=RENDER_SALT)


def browser_hash(csrf_secret):
    """The CSRF secret itself must not show in the stamp, which is signed but readable."""
    return salted_hmac(RENDER_SALT, csrf_secret, algorithm="sha256").hexdigest()


class TextWithLineBreaks(forms.CharField):
    """Text whose line breaks count as one character each, as the browser's maxlength counts them.

    A browser sends each line break as two characters (CR LF): a comment the text box allowed at
    exactly 5,000 characters was refused as 5,048 long.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class CommentForm(forms.Form):
    name = forms.CharField(max_length=80, label="Your name", help_text="Shown with your comment.")
    email = forms.EmailField(
        max_length=254, label="Your email", help_text="Never shown. We use it only about your comment."
    )
    body = TextWithLineBreaks(
        max_length=5000,
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, up to 5,000 characters.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rendered = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and aria-hidden, filled in by bots.
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)

    def __init__(self, *args, commenter=None, **kwargs):
        """commenter: (name, email) of a signed-in supporter, who comments as their account."""
        super().__init__(*args, **kwargs)
        self.commenter = commenter
        if commenter:
            del self.fields["name"], self.fields["email"]

    def clean(self):
        cleaned = super().clean()
        if self.commenter:
            # Whatever a posted form says, a supporter's comment carries their account's name.
            cleaned["name"], cleaned["email"] = self.commenter
        return cleaned

    def clean_name(self):
        return self.cleaned_data["name"].replace("\x00", "").strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\x00", "").replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError("Write something before you post.")
        return body

    def link_count(self):
        return len(LINK_PATTERN.findall(self.cleaned_data.get("body", "")))

    def reply_target(self, article):
        """The top-level comment a reply belongs under; replies to replies move up a level."""
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.visible().filter(article=article, pk=parent_id).first()
        if parent is None:
            return None
        return parent.parent if parent.parent_id else parent


@cache
def blank_fields():
    """The comment form's fields as every reader who is not signed in gets them.

    They are the same on every article page, so they are rendered once per process: building
    the form and reading its bound fields was a tenth of an uncached article's rendering.
    """
    return mark_safe(render_to_string("includes/comment_fields.html", {"form": CommentForm()}))  # noqa: S308 - autoescaped template


@receiver(setting_changed)
def forget_blank_fields(setting, **kwargs):
    if setting == "TEMPLATES":
        blank_fields.cache_clear()
