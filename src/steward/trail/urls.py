from django.urls import path

from steward.dashboard import audit_views

app_name = "audit"

urlpatterns = [path("", audit_views.trail, name="list")]
