from django.urls import path

from briefings.newsletter import report_views, views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/<str:token>/data/", views.data_export, name="data_export"),
    path("preferences/<str:token>/erase/", views.erase, name="erase"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # A counted link of a dispatched issue, and the issue as it was sent.
    path("r/<str:token>/", report_views.click_redirect, name="click"),
    path("sent/<str:token>/", report_views.archived_view, name="archived"),
]
