from django.urls import path

from steward.assets import views

app_name = "assets"

urlpatterns = [
    path("", views.asset_list, name="list"),
    path("new/", views.asset_create, name="create"),
    path("mine/", views.my_assets, name="mine"),
    path("overview/", views.overview, name="overview"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.import_upload, name="import"),
    path("import/map/", views.import_map, name="import_map"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path(
        "import/jobs/<int:pk>/commit/",
        views.import_job_commit,
        name="import_job_commit",
    ),
    path("import/template.csv", views.template_csv, name="template_csv"),
    path("import/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<int:pk>/", views.asset_detail, name="detail"),
    path("<int:pk>/change/", views.asset_edit, name="edit"),
    path("<int:pk>/close/", views.asset_close, name="close"),
    path("<int:pk>/review/", views.asset_review, name="review"),
]
