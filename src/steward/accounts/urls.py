from django.contrib.auth import views as auth_views
from django.urls import path

from steward.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path(
        "two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"
    ),
    path("password-reset/", views.ResetRequestView.as_view(), name="reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/reset_sent.html"
        ),
        name="reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/reset_done.html"
        ),
        name="reset_done",
    ),
]
