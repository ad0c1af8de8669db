from django.urls import path

from feeds import views

app_name = "feeds"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("trainings.ics", views.public_feed, name="public_feed"),
    path("s/<str:token>.ics", views.subscription_feed, name="subscription_feed"),
    path("links/", views.subscription_list, name="subscriptions"),
    path("links/<int:pk>/revoke/", views.subscription_revoke, name="subscription_revoke"),
    path("my/<str:token>/", views.registrant_links, name="registrant_links"),
    path("my/<str:token>/<int:pk>/revoke/", views.registrant_revoke, name="registrant_revoke"),
]
