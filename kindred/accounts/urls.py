from django.urls import path

from kindred.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/my-data.json", views.download_my_data, name="download_my_data"),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("account/who-has-seen-my-data/", views.who_has_seen_my_data, name="who_has_seen_my_data"),
    path("account/notifications/", views.notification_settings, name="notification_settings"),
    path("account/tokens/new/", views.create_token, name="create_token"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("join/", views.join_organisation, name="join_organisation"),
    path("join/code/", views.join_organisation_confirm, name="join_organisation_confirm"),
    path("coordinate/", views.coordinate, name="people_and_roles"),
    path("org/<slug:slug>/people/", views.people_and_roles, name="people_and_roles_for"),
    path(
        "org/<slug:slug>/roles/<int:grant_id>/revoke/",
        views.revoke_role,
        name="revoke_role",
    ),
    path("demo/sign-in/<str:token>/", views.demo_sign_in, name="demo_sign_in"),
]
