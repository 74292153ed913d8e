from django.urls import path

from steward.controls import views
from steward.controls.procedures.urls import urlpatterns as procedure_urls
from steward.controls.statements.urls import urlpatterns as statement_urls

app_name = "controls"

urlpatterns = [
    *procedure_urls,
    *statement_urls,
    path("", views.framework_list, name="list"),
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/<slug:code>/", views.coverage, name="coverage"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
]
