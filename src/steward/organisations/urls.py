from django.urls import path

from steward.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<slug:code>/", views.organisation_detail, name="detail"),
    path("<slug:code>/people/add/", views.person_add, name="person_add"),
    path(
        "<slug:code>/roles/<int:pk>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("<slug:code>/siro/", views.appoint_siro, name="appoint_siro"),
    path("<slug:code>/api-keys/", views.apikey_list, name="apikeys"),
    path(
        "<slug:code>/api-keys/<int:pk>/revoke/",
        views.apikey_revoke,
        name="apikey_revoke",
    ),
]
