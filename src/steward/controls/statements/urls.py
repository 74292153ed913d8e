"""Routes for Statements of Internal Control, included in
``steward.controls.urls``."""

from django.urls import path

from steward.controls.statements import views

urlpatterns = [
    path("statements/", views.statement_list, name="statements"),
    path("statements/new/", views.statement_draft, name="statement_draft"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/edit/",
        views.statement_edit,
        name="statement_edit",
    ),
    path(
        "statements/<int:pk>/redraft/",
        views.statement_redraft,
        name="statement_redraft",
    ),
    path(
        "statements/<int:pk>/sign/",
        views.statement_sign,
        name="statement_sign",
    ),
]
