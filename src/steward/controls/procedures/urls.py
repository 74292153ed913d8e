"""Routes for one procedure, included in ``steward.controls.urls``."""

from django.urls import path

from steward.controls.procedures import views

urlpatterns = [
    path(
        "procedures/<slug:code>/new/",
        views.procedure_create,
        name="procedure_create",
    ),
    path("procedure/<int:pk>/", views.procedure_detail, name="procedure"),
    path(
        "procedure/<int:pk>/edit/", views.procedure_edit, name="procedure_edit"
    ),
    path(
        "procedure/<int:pk>/review/",
        views.procedure_review,
        name="procedure_review",
    ),
    path(
        "procedure/<int:pk>/withdraw/",
        views.procedure_withdraw,
        name="procedure_withdraw",
    ),
    path(
        "procedure/<int:pk>/document/",
        views.procedure_upload,
        name="procedure_upload",
    ),
    path(
        "procedure/<int:pk>/document/<int:doc>/",
        views.procedure_download,
        name="procedure_download",
    ),
]
