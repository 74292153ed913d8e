from django.urls import path

from steward.scans import views

app_name = "scans"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("locations/add/", views.location_add, name="location_add"),
    path(
        "locations/<int:pk>/scan/", views.location_scan, name="location_scan"
    ),
]
