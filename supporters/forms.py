import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from articles.impersonation import imitates_staff

from .models import AmountPreset, CancelReason
from .models.giving import CANCEL_NOTE_MAX

AMOUNT_PATTERN = re.compile(r"^\s*£?\s*(\d{1,7}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?\s*$")
DEFAULT_PRESETS = {
    "monthly": [500, 1000, 2000],
    "annual": [5000, 10000, 20000],
    "one_off": [1000, 2500, 5000],
}
FREQUENCY_WORDS = {"monthly": "a month", "annual": "a year", "one_off": "once"}
# Longer than any amount a person types. Without a bound, a few hundred digits parse to more
# pence than a float can hold, and formatting them for the button or a message fails.
MAX_AMOUNT_CHARACTERS = 30


def money(pence):
    return f"£{pence / 100:,.2f}".replace(".00", "")


def presets():
    """Per frequency, the amounts offered and the one selected when it is chosen.

    The admin's presets, or sensible ones until the admin sets some; the selected one is the
    preset ticked as the default, else the first.
    """
    chosen, defaults = {}, {}
    for preset in AmountPreset.objects.all():
        chosen.setdefault(preset.frequency, []).append(preset.amount_pence)
        if preset.is_default:
            defaults.setdefault(preset.frequency, preset.amount_pence)
    offered = {frequency: chosen.get(frequency) or amounts for frequency, amounts in DEFAULT_PRESETS.items()}
    return {
        frequency: (amounts, defaults.get(frequency, amounts[0])) for frequency, amounts in offered.items()
    }


def pounds_text(pence):
    """An amount as a reader would type it: 500 is "5", 1250 is "12.50"."""
    return money(pence).removeprefix("£").replace(",", "")


def parse_pounds(text):
    """Pence from what a reader typed ("5", "£12.50", "1,000"), or a ValidationError saying why not."""
    text = (text or "").strip()
    if len(text) > MAX_AMOUNT_CHARACTERS:
        raise forms.ValidationError("Enter an amount in pounds, like 5 or 12.50.")
    if text.startswith("-"):
        raise forms.ValidationError("The amount can’t be negative.")
    match = AMOUNT_PATTERN.match(text)
    if not match:
        if re.match(r"^\s*£?\s*\d+\.\d{3,}\s*$", text):
            raise forms.ValidationError("Use at most two decimal places, like 12.50.")
        raise forms.ValidationError("Enter an amount in pounds, like 5 or 12.50.")
    try:
        pounds = Decimal(match.group(1).replace(",", "") + "." + (match.group(2) or "0"))
    except InvalidOperation:
        raise forms.ValidationError("Enter an amount in pounds, like 5 or 12.50.") from None
    return int(pounds * 100)


class SupportForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=[("monthly", "Monthly"), ("annual", "Annual"), ("one_off", "One-off")],
        initial="monthly",
        widget=forms.RadioSelect,
        label="How often?",
    )
    amount = forms.CharField(
        max_length=20,
        label="How much?",
        help_text="Choose an amount or type your own, in pounds.",
    )
    name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(
        max_length=254, label="Your email", help_text="For your receipt and your account."
    )
    consent = forms.BooleanField(
        label="I agree to the co-op’s privacy notice.",
        error_messages={"required": "Please agree to the privacy notice so that we can take your gift."},
    )

    def clean_amount(self):
        pence = parse_pounds(self.cleaned_data["amount"])
        if pence <= 0:
            raise forms.ValidationError("The amount must be more than zero.")
        if pence < settings.DONATION_MIN_PENCE:
            raise forms.ValidationError(
                f"The smallest gift we can take is {money(settings.DONATION_MIN_PENCE)}."
            )
        if pence > settings.DONATION_MAX_PENCE:
            raise forms.ValidationError(
                f"The largest gift we can take online is {money(settings.DONATION_MAX_PENCE)}. "
                "For more, please get in touch."
            )
        return pence

    def clean_name(self):
        return self.cleaned_data["name"].replace("\x00", "").strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def button_label(self):
        """What the submit button promises, from what the reader has chosen so far."""
        frequency = self.data.get("frequency") or self["frequency"].initial or "monthly"
        try:
            pence = parse_pounds(self.data.get("amount") or self["amount"].value() or "")
        except forms.ValidationError:
            return "Give"
        return f"Give {money(pence)} {FREQUENCY_WORDS.get(frequency, '')}".strip()


class AmountForm(forms.Form):
    amount = forms.CharField(max_length=20, label="New amount, in pounds")

    clean_amount = SupportForm.clean_amount


class FrequencyForm(forms.Form):
    """Monthly to annual or back: the other frequency, at an amount the member chooses."""

    frequency = forms.ChoiceField(
        choices=[("monthly", "Monthly"), ("annual", "Annual")], widget=forms.HiddenInput
    )
    amount = forms.CharField(max_length=20, label="Amount, in pounds")

    clean_amount = SupportForm.clean_amount


class DetailsForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Your name",
        error_messages={
            "required": "Please give a name of up to 120 characters.",
            "max_length": "Please give a name of up to 120 characters.",
        },
    )

    def clean_name(self):
        # The name signs the supporter's comments: it may not pass for the newsroom's.
        name = self.cleaned_data["name"].strip()
        if imitates_staff(name):
            raise forms.ValidationError(
                "That name looks like the name of someone in our newsroom, a role on the site or the "
                "site’s own name. Please choose another."
            )
        return name


class SignInForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your email")


class CancelForm(forms.Form):
    """Why a member stops: optional, one choice and a few words, counted in the finance report."""

    reason = forms.ChoiceField(
        label="Would you tell us why? (optional)",
        choices=[("", "I’d rather not say"), *CancelReason.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything else we should know? (optional)",
        max_length=CANCEL_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
