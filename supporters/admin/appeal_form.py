"""The call-to-action form: sections and tags typed with suggestions, fields that fit the placement."""

import json
from functools import reduce
from operator import or_

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from taggit.models import Tag
from taggit.utils import parse_tags

from articles.models import Section
from core.saved_since_opened import SavedSinceOpenedCheck

from ..models import CallToAction

MOST_NAMES = 30

# Which placements each field applies to; appeal-form.js hides a field's row for the others, and
# clean() drops what does not apply, so a hidden value never makes an appeal that cannot show.
APPLIES_TO = {
    "after_paragraph": [CallToAction.Placement.INLINE],
    "sections": sorted(CallToAction.TARGETED_PLACEMENTS),
    "tags": sorted(CallToAction.TARGETED_PLACEMENTS),
}


class NamesField(forms.CharField):
    """Existing sections or tags named in one comma-separated box, as tags are typed on an article."""

    def __init__(self, queryset, *, noun, **kwargs):
        super().__init__(required=False, max_length=1000, **kwargs)
        self.queryset = queryset
        self.noun = noun

    def prepare_value(self, value):
        # Unbound: the related objects (or their ids, from a copied form); bound: the typed text.
        if isinstance(value, str) or value is None:
            return value or ""
        things = [thing for thing in value if hasattr(thing, "name")]
        things += self.queryset.filter(pk__in=[thing for thing in value if not hasattr(thing, "name")])
        # Names as they were typed; only one holding a comma needs quotes to stay one name.
        return ", ".join(f'"{thing.name}"' if "," in thing.name else thing.name for thing in things)

    def has_changed(self, initial, data):
        return {name.casefold() for name in parse_tags(self.prepare_value(initial))} != {
            name.casefold() for name in parse_tags(data or "")
        }

    def clean(self, value):
        names = parse_tags(super().clean(value))
        if len(names) > MOST_NAMES:
            raise ValidationError(f"Name at most {MOST_NAMES} {self.noun}s; leave it empty for all of them.")
        if not names:
            return []
        found = {
            thing.name.casefold(): thing
            for thing in self.queryset.filter(reduce(or_, (Q(name__iexact=name) for name in names)))
        }
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise ValidationError(
                f"There is no {self.noun} called “{unknown[0]}”: pick one of the suggestions that "
                "appear as you type."
            )
        return list({found[name.casefold()].pk: found[name.casefold()] for name in names}.values())


class CallToActionForm(SavedSinceOpenedCheck):
    sections = NamesField(
        Section.objects.all(),
        noun="section",
        label="Sections",
        help_text="Only beside stories in these sections; type two letters for suggestions. Empty: "
        "every section.",
    )
    tags = NamesField(
        Tag.objects.all(),
        noun="tag",
        label="Tags",
        help_text="Only beside stories with one of these tags, separated by commas. Empty: whatever "
        "the tags.",
    )

    class Meta:
        model = CallToAction
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (("sections", "sections"), ("tags", "tags")):
            self.fields[name].widget.attrs.update(
                {
                    "class": "vLargeTextField",
                    "autocomplete": "off",
                    "data-suggest-url": reverse("admin:supporters_calltoaction_suggestions", args=[kind]),
                }
            )
        placement = self.fields.get("placement")
        if placement is not None:
            placement.widget.attrs["data-applies-to"] = json.dumps(APPLIES_TO)

    def clean(self):
        cleaned = super().clean()
        placement = cleaned.get("placement")
        if placement and placement not in CallToAction.TARGETED_PLACEMENTS:
            cleaned["sections"], cleaned["tags"] = [], []
        return cleaned
