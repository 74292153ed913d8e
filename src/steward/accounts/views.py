"""Signing in: password, then the second factor where a role needs it."""

from __future__ import annotations

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.accounts import forms, services


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/reset_request.html"
    form_class = forms.ResetRequestForm
    email_template_name = "accounts/reset_email.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("accounts:reset_sent")


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/reset_confirm.html"
    form_class = forms.NewPasswordForm
    success_url = reverse_lazy("accounts:reset_done")


@sensitive_post_parameters("token")
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code, or send a person without a device to set one up."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect("dashboard:home")
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:two_factor_setup")
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(request.GET.get("next") or "dashboard:home")
        form.add_error(
            "token",
            "The security code is not right or has "
            "expired. Enter the code your app shows now",
        )
    return render(request, "accounts/two_factor.html", {"form": form})


def _qr_svg(url: str) -> str:
    image = qrcode.make(
        url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@sensitive_post_parameters("token")
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True):
        return redirect("accounts:two_factor")
    device = services.totp_pending_device(user=request.user)
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            return redirect("dashboard:home")
        form.add_error(
            "token",
            "The security code is not right. Check the "
            "app was set up with the key shown",
        )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(
                secret[i : i + 4] for i in range(0, len(secret), 4)
            ),
            # The SVG is made here from the device's own URL, not from input.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
        },
    )
