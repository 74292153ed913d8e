"""The URL map: one include per app, the API and the admin."""

from django.contrib import admin
from django.urls import include, path

from steward.api import api

urlpatterns = [
    path("", include("steward.dashboard.urls")),
    path("accounts/", include("steward.accounts.urls")),
    path("organisations/", include("steward.organisations.urls")),
    path("actions/", include("steward.actions.urls")),
    path("assets/", include("steward.assets.urls")),
    path("standards/", include("steward.controls.urls")),
    path("assessments/", include("steward.controls.assessment_urls")),
    path("incidents/", include("steward.incidents.urls")),
    path("scans/", include("steward.scans.urls")),
    path("audit/", include("steward.trail.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
