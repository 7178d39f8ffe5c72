"""The issue page's own pages and buttons: preview, a test to me, send or schedule, cancel,
pause and resume. Every move is a POST (with the CSRF token the admin checks), permission-checked
here, and an illegal one (the model's named exception) comes back as a message, never an error."""

import smtplib

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from .. import audience, proof, sending
from ..exceptions import AlreadyStarted, NotEditable, NotPaused, NotSendable, NotSending
from ..models import Issue
from ..progress import progress

REFUSALS = {
    NotEditable: "Only a draft can be changed or scheduled; this issue is {}.",
    NotSendable: "Only a draft or a scheduled issue can be sent, once; this issue is {}.",
    NotSending: "Only an issue that is sending can be paused; this issue is {}.",
    NotPaused: "Only a paused issue can be resumed; this issue is {}.",
    AlreadyStarted: "Only a draft or a scheduled issue can be cancelled; this issue is {}.",
}
COPIES = {"members": True, "others": False}
# An email's own styles and pictures from anywhere it names; never a script, a form or a frame.
PREVIEW_POLICY = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'"


def refusal(error):
    status = Issue.Status(error.args[0]).label.lower() if error.args else "no longer a draft"
    return REFUSALS.get(type(error), "That cannot be done now: this issue is {}.").format(status)


class SendForm(forms.Form):
    when = forms.ChoiceField(
        choices=[("now", "Send now"), ("later", "Schedule for")], widget=forms.RadioSelect, initial="now"
    )
    send_at = forms.DateTimeField(
        required=False,
        label="Date and time (London)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "later":
            at = cleaned.get("send_at")
            if at is None:
                self.add_error("send_at", "Say when it should go.")
            elif at <= timezone.now():
                self.add_error("send_at", "That time has passed: choose a later one, or send now.")
        return cleaned


class IssueViewsMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        mine = [
            ("preview/", self.preview_view, "preview"),
            ("preview/<str:copy>.html", self.preview_html_view, "preview_html"),
            ("test/", self.test_view, "test"),
            ("send/", self.send_view, "send"),
            ("cancel/", self.cancel_view, "cancel"),
            ("pause/", self.pause_view, "pause"),
            ("resume/", self.resume_view, "resume"),
        ]
        return [
            *(
                path(f"<path:object_id>/{route}", wrap(view), name=f"newsletters_issue_{name}")
                for route, view, name in mine
            ),
            *super().get_urls(),
        ]

    def has_send_permission(self, request):
        return request.user.has_perm("newsletters.send_issue")

    def issue_or_404(self, request, object_id, allowed):
        if not allowed:
            raise PermissionDenied
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            raise Http404("No such issue.")
        return issue

    def back(self, issue):
        return redirect("admin:newsletters_issue_change", issue.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, unquote(object_id)) if object_id else None
        extra = dict(extra_context or {})
        if issue is not None:
            extra.update(
                issue=issue,
                can_send=self.has_send_permission(request),
                can_test=super().has_change_permission(request) and bool(request.user.email),
                progress=progress(issue) if issue.started_at else None,
                links=issue.links.by_clicks() if issue.started_at else (),
            )
        return super().change_view(request, object_id, form_url, extra)

    # --- Preview and test ------------------------------------------------------------------

    def preview_view(self, request, object_id):
        issue = self.issue_or_404(request, object_id, self.has_view_permission(request))
        texts = {name: proof.sample(issue, member=member)[1] for name, member in COPIES.items()}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "issue": issue,
            "title": f"Preview: {issue.subject}",
            "texts": texts,
            "members_only": issue.newsletter.members_only,
        }
        return TemplateResponse(request, "admin/newsletters/issue/preview.html", context)

    @xframe_options_sameorigin
    def preview_html_view(self, request, object_id, copy):
        issue = self.issue_or_404(request, object_id, self.has_view_permission(request))
        if copy not in COPIES:
            raise Http404("No such copy.")
        response = HttpResponse(proof.sample(issue, member=COPIES[copy])[2])
        # Its own policy, replacing the admin's: an email is inline styles and outside pictures.
        response["Content-Security-Policy"] = PREVIEW_POLICY
        response._csp_exempt = True
        return response

    @method_decorator(require_POST)
    def test_view(self, request, object_id):
        issue = self.issue_or_404(request, object_id, super().has_change_permission(request))
        address = request.user.email
        if not address:
            self.message_user(request, "Your account has no email address to send a test to.", messages.ERROR)
            return self.back(issue)
        # A members' letter has only the members' copy.
        member = issue.newsletter.members_only or COPIES.get(request.POST.get("copy"), False)
        try:
            proof.send_test(issue, address, member=member)
        except (smtplib.SMTPException, OSError) as error:
            self.message_user(request, f"The test could not be sent: {error}", messages.ERROR)
            return self.back(issue)
        which = "members'" if member else "non-members'"
        self.message_user(
            request, f"A test of the {which} copy is on its way to {address}.", messages.SUCCESS
        )
        return self.back(issue)

    # --- Sending ---------------------------------------------------------------------------

    def send_view(self, request, object_id):
        issue = self.issue_or_404(request, object_id, self.has_send_permission(request))
        if issue.status != Issue.Status.DRAFT:
            self.message_user(request, refusal(NotEditable(issue.status)), messages.ERROR)
            return self.back(issue)
        if not issue.stories.exists() and not issue.introduction.strip():
            self.message_user(request, "Add a story or an introduction before sending.", messages.ERROR)
            return self.back(issue)
        form = SendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self.send_or_schedule(request, issue, form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "issue": issue,
            "title": f"Send “{issue.subject}”",
            "form": form,
            "recipients": audience.count(issue.newsletter),
        }
        return TemplateResponse(request, "admin/newsletters/issue/send.html", context)

    def send_or_schedule(self, request, issue, data):
        try:
            if data["when"] == "later":
                issue.schedule(data["send_at"])
                self.log_change(request, issue, f"Scheduled for {data['send_at']:%Y-%m-%d %H:%M}")
                done = f"Scheduled for {timezone.localtime(data['send_at']):%-d %B at %H:%M}."
            else:
                count = sending.start(issue)
                self.log_change(request, issue, f"Sent to {count} recipients")
                done = f"Sending to {count} recipient{'' if count == 1 else 's'}."
        except (NotEditable, NotSendable) as error:
            self.message_user(request, refusal(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return self.back(issue)

    def _move(self, request, object_id, move, label, done):
        issue = self.issue_or_404(request, object_id, self.has_send_permission(request))
        try:
            move(issue)
        except (NotEditable, NotSendable, NotSending, NotPaused, AlreadyStarted) as error:
            self.message_user(request, refusal(error), messages.ERROR)
        else:
            self.log_change(request, issue, label)
            self.message_user(request, done, messages.SUCCESS)
        return self.back(issue)

    @method_decorator(require_POST)
    def cancel_view(self, request, object_id):
        return self._move(
            request, object_id, lambda i: i.cancel(), "Cancelled", "Cancelled: it will not be sent."
        )

    @method_decorator(require_POST)
    def pause_view(self, request, object_id):
        done = "Paused: the workers stop after the message in hand."
        return self._move(request, object_id, sending.pause, "Paused", done)

    @method_decorator(require_POST)
    def resume_view(self, request, object_id):
        return self._move(request, object_id, sending.resume, "Resumed", "Resumed: the rest is on its way.")
