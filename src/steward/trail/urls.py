from django.urls import path

from steward.trail import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="list"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/verify/", views.ledger_verify, name="ledger_verify"),
]
