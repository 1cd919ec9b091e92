from django.urls import re_path

from organizations import views

app_name = "organizations"

urlpatterns = [
    re_path(
        r"^co-quan/(?P<slug>[-\w]+)-(?P<pk>[0-9]+)/$",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
    re_path(
        r"^nhan-vat/(?P<slug>[-\w]+)-(?P<pk>[0-9]+)/$",
        views.PersonDetailView.as_view(),
        name="person",
    ),
]
