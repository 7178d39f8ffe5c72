"""Admin widgets with the labels Django's own leave out."""

from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.html import format_html


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, with "Date:" and "Time:" as their labels, not loose text.

    The field's own label names only the date box, so a screen reader announced the time box
    with no name at all (axe: "Form elements must have labels").
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for key, box in zip(("date_label", "time_label"), context["widget"]["subwidgets"], strict=True):
            context[key] = format_html('<label for="{}">{}</label>', box["attrs"]["id"], context[key])
        return context
