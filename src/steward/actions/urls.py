from django.urls import path

from steward.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_new, name="new"),
    path("export.<str:fmt>", views.action_export, name="export"),
    path("<int:pk>/", views.action_detail, name="detail"),
]
