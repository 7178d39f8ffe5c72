"""A change form whose save is refused by a model's move at the last moment."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from ..exceptions import IllegalTransition


class RefusedMoveMixin:
    """The form checks a move before saving; if someone else changed the state between that
    check and the save (the move reads it again under a row lock), the move refuses. The admin's
    transaction then rolls the whole save back, and the person reads why, not an error page."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IllegalTransition as refusal:
            self.message_user(request, f"Nothing was saved: {refusal}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
