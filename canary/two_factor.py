"""Two-factor sign-in for the newsroom: a code from an authenticator app, with recovery codes.

Editors, finance staff and superusers must use it when STAFF_TWO_FACTOR_REQUIRED is on (the
default in production); other staff may. Once someone has an authenticator, their sign-in
always asks for a code.
"""

from base64 import b32encode

import segno
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.second_factor import has_authenticator, required_for, second_factor_done, verified

RECOVERY_CODES = 10


class NewsroomLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin sign-in: a password, then a code for anyone who has an authenticator."""

    otp_token = forms.CharField(
        required=False,
        label="Code from your authenticator app (or a recovery code)",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        # One field for both: six digits come from the app, anything else is a recovery code.
        token = (self.cleaned_data.get("otp_token") or "").strip()
        model = TOTPDevice if token.isdigit() else StaticDevice
        return model.objects.filter(user=user, confirmed=True).first()


class CodeForm(forms.Form):
    code = forms.CharField(max_length=8, label="The 6-digit code your app shows now")


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    index_title = "Newsroom"
    login_form = NewsroomLoginForm
    login_template = "admin/newsroom_login.html"

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_done(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        must_set_up = user.is_authenticated and user.is_staff and not self.has_permission(request)
        if must_set_up and required_for(user) and not has_authenticator(user):
            return redirect("admin:two_factor")
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def two_factor_view(self, request):
        """Set up an authenticator app: scan, type a code, keep the recovery codes."""
        user = request.user
        if not (user.is_authenticated and user.is_staff and user.is_active):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        if user_has_device(user, confirmed=True) and not verified(user):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        form = CodeForm(request.POST or None)
        context = {**self.each_context(request), "title": "Two-factor sign-in", "form": form}
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"].strip()):
                codes = self.confirm(user, device)
                otp_login(request, device)
                return TemplateResponse(request, "admin/two_factor_done.html", {**context, "codes": codes})
            form.add_error(
                "code", "That code didn’t match. Check your phone’s clock and try the newest code."
            )
        context.update(
            {
                "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),  # noqa: S308 - our SVG
                "secret": device.key and _base32(device.bin_key),
                "has_device": any(d.confirmed for d in devices_for_user(user, confirmed=None)),
            }
        )
        return TemplateResponse(request, "admin/two_factor.html", context)

    @staticmethod
    @transaction.atomic
    def confirm(user, device):
        """The new authenticator replaces any old one, with fresh recovery codes."""
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        recovery.token_set.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        return codes


def _base32(raw):
    return b32encode(raw).decode().rstrip("=")
