from django.urls import path

from steward.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.incident_report, name="report"),
    path("themes/", views.incident_themes, name="themes"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/",
        views.notification_detail,
        name="notification",
    ),
    path(
        "notifications/<int:pk>/redeliver/",
        views.notification_redeliver,
        name="redeliver",
    ),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/complete/", views.incident_complete, name="complete"),
    path("<int:pk>/grade/", views.incident_grade, name="grade"),
    path("<int:pk>/override/", views.incident_override, name="override"),
    path("<int:pk>/notify/", views.incident_notify, name="notify"),
    path("<int:pk>/close/", views.incident_close, name="close"),
    path("<int:pk>/learn/", views.incident_learn, name="learn"),
    path(
        "<int:pk>/actions/new/",
        views.incident_action_new,
        name="action_new",
    ),
]
