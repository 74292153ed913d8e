from django.urls import path

from steward.controls import assessment_views as views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/", views.assessment_start, name="start"),
    path("government/", views.government, name="government"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path(
        "findings/<int:pk>/resolve/",
        views.finding_resolve,
        name="finding_resolve",
    ),
    path(
        "organisations/<slug:code>/",
        views.organisation_position,
        name="position",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path(
        "evidence/<int:pk>/withdraw/",
        views.evidence_withdraw,
        name="evidence_withdraw",
    ),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/export.csv", views.assessment_export, name="export"),
    path("<int:pk>/oscal.json", views.assessment_oscal, name="oscal"),
    path("<int:pk>/recompute/", views.assessment_recompute, name="recompute"),
    path("<int:pk>/sign-off/", views.assessment_sign_off, name="sign_off"),
    path("<int:pk>/answers/<int:answer>/", views.answer_page, name="answer"),
]
