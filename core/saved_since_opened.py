"""Refusing a save made from a form opened before someone else saved the same row."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError

SAVED_SINCE_MESSAGE = (
    "Someone saved this since you opened it. Nothing you changed has been saved: copy anything "
    "you want to keep, then reload the page to see the saved version and make your changes again."
)


def saved_state(model, pk):
    """A fingerprint of a row's stored values, to tell whether anyone saved it since."""
    names = [field.attname for field in model._meta.concrete_fields]
    row = model._default_manager.filter(pk=pk).values_list(*names).first()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


class SavedSinceOpenedCheck(forms.ModelForm):
    """Refuses a save made from a form opened before someone else saved the same thing.

    For pages and appeals edited now and then, where the last of two editors would otherwise
    overwrite the other without a word. (Articles keep a version number: see ArticleAdminForm.)
    """

    opened_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A posted form carries the fingerprint it was opened with; only a fresh one needs reading.
        if self.instance.pk and not self.is_bound:
            self.fields["opened_state"].initial = saved_state(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_state")
        if self.instance.pk and opened and opened != saved_state(type(self.instance), self.instance.pk):
            raise ValidationError(SAVED_SINCE_MESSAGE, code="stale")
        return cleaned
