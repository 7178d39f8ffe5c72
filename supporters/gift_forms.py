"""The gift membership form: who gives, to whom, when, and a few words of the buyer's own."""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from articles.impersonation import imitates_staff

from .models.gifts import MESSAGE_MAX, SEND_AHEAD_DAYS

# Anything a mail reader would turn into a link: a scheme, "www.", or a name.domain (optionally
# with a path). A stranger's message in our mail must not carry one.
LINKISH = re.compile(
    r"[a-z][a-z0-9+.-]*:/{1,}|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/|\b)",
    re.IGNORECASE,
)
NO_LINKS = "Please leave out links and web addresses: we show these words in our email."
# Control characters (except line breaks in the message) have no business in a name or message.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# What a gift email's send time is on a chosen day: the morning, in the site's time zone.
SEND_TIME = time(9, 0)


def plain(text, *, lines=False):
    text = CONTROL.sub("", text or "")
    if not lines:
        text = " ".join(text.split())
    return text.strip()


def refuse_links(text):
    # word.word with no space reads as an address: rare in a message ("birthday.Love"), and
    # refused with a message that says why, so the buyer adds the space.
    if LINKISH.search(text):
        raise forms.ValidationError(NO_LINKS)
    return text


class GiftForm(forms.Form):
    recipient_name = forms.CharField(max_length=120, label="Their name")
    recipient_email = forms.EmailField(
        max_length=254, label="Their email", help_text="We send the gift here, and nothing else."
    )
    send = forms.ChoiceField(
        choices=[("now", "As soon as I have paid"), ("date", "On a date I choose")],
        initial="now",
        widget=forms.RadioSelect,
        label="When should we email them?",
    )
    send_on = forms.DateField(
        required=False,
        label="Date",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=f"Today or up to {SEND_AHEAD_DAYS} days ahead; sent in the morning.",
    )
    message = forms.CharField(
        required=False,
        max_length=MESSAGE_MAX,
        label="A message from you (optional)",
        help_text=f"Plain text, up to {MESSAGE_MAX} characters, no links. We show it as your words.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX}),
        error_messages={"max_length": f"Please keep the message to {MESSAGE_MAX} characters."},
    )
    buyer_name = forms.CharField(
        max_length=120, label="Your name", help_text="They will see it: we tell them who the gift is from."
    )
    buyer_email = forms.EmailField(max_length=254, label="Your email", help_text="For your receipt.")
    consent = forms.BooleanField(
        label="I agree to the co-op’s privacy notice.",
        error_messages={"required": "Please agree to the privacy notice so that we can take your payment."},
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        today = timezone.localdate(self.now)
        attrs = self.fields["send_on"].widget.attrs
        attrs.update(min=today.isoformat(), max=(today + timedelta(days=SEND_AHEAD_DAYS)).isoformat())

    def clean_recipient_name(self):
        return refuse_links(plain(self.cleaned_data["recipient_name"]))

    def clean_buyer_name(self):
        name = refuse_links(plain(self.cleaned_data["buyer_name"]))
        if not name:
            raise forms.ValidationError("Please tell us your name: they will see who the gift is from.")
        if imitates_staff(name):
            raise forms.ValidationError(
                "That name looks like the name of someone in our newsroom or the site’s own. Please use yours."
            )
        return name

    def clean_message(self):
        return refuse_links(plain(self.cleaned_data["message"], lines=True))

    def clean_recipient_email(self):
        return self.cleaned_data["recipient_email"].strip().lower()

    def clean_buyer_email(self):
        return self.cleaned_data["buyer_email"].strip().lower()

    def clean(self):
        data = super().clean()
        if data.get("send") == "date":
            day = data.get("send_on")
            today = timezone.localdate(self.now)
            if day is None:
                if "send_on" not in self.errors:
                    self.add_error("send_on", "Choose the date we should email them.")
            elif day < today:
                self.add_error("send_on", "That date has passed. Choose today or a later date.")
            elif day > today + timedelta(days=SEND_AHEAD_DAYS):
                self.add_error("send_on", f"Choose a date within {SEND_AHEAD_DAYS} days from today.")
        return data

    def send_at(self):
        """When the gift email goes: now, or the morning of the chosen day (now, if that has passed)."""
        if self.cleaned_data["send"] != "date":
            return self.now
        morning = datetime.combine(self.cleaned_data["send_on"], SEND_TIME, timezone.get_current_timezone())
        return max(morning, self.now)
