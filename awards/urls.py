from django.urls import path, re_path

from awards import views

app_name = "awards"

urlpatterns = [
    path("khen-thuong/", views.HonourRollView.as_view(), name="honour-roll"),
    re_path(
        r"^khen-thuong/(?P<slug>[-\w]+)-(?P<pk>[0-9]+)/$",
        views.DecisionDetailView.as_view(),
        name="decision",
    ),
]
