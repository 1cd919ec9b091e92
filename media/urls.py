from django.urls import path

from media import views

app_name = "media"

urlpatterns = [
    path("tai-lieu/<int:pk>/<str:name>", views.document_download, name="document"),
]
