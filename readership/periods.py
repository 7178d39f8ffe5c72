"""The period a readership report covers: the last 7, 30 or 90 days, or from one date to another."""

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.utils import timezone

LAST_DAYS = (7, 30, 90)
LONGEST = 3660  # ten years: a report over more would read every tally there is


class PeriodForm(forms.Form):
    """Empty or "last N days" picks a recent period; From and To pick any other (both London dates)."""

    last = forms.TypedChoiceField(
        label="Last",
        choices=[("", "Choose dates")] + [(str(days), f"{days} days") for days in LAST_DAYS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    # A date input shows only an ISO value (YYYY-MM-DD); the locale's format leaves the box empty.
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, data=None, *, today, default_days=30):
        self.today = today
        self.default_days = default_days
        super().__init__(data or None)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("last") or self.errors or (start is None and end is None):
            return data
        if start is None or end is None:
            raise forms.ValidationError("Give both dates, From and To, or choose the last 7, 30 or 90 days.")
        for name, day in (("start", start), ("end", end)):
            if not 1990 <= day.year <= 2200:
                self.add_error(name, "Choose a date between 1990 and 2200.")
        if start > end:
            raise forms.ValidationError("The period must start before it ends.")
        if (end - start).days >= LONGEST:
            raise forms.ValidationError("Choose a period of at most ten years.")
        return data

    def period(self):
        """(first day, last day), both included: what was asked, or the default if it was not valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end") and not data.get("last"):
            return data["start"], data["end"]
        days = data.get("last") or self.default_days
        return self.today - timedelta(days=days - 1), self.today


def bounds(start, end):
    """The period's first and last moments as UTC datetimes (start included, end excluded)."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time.min, zone).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC),
    )
