from django.urls import path

from kindred.navigator import views

urlpatterns = [
    path("help-now/", views.crisis_lines, name="crisis_lines"),
    path("services/", views.directory, name="service_directory"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("find/", views.finder, name="finder"),
    path("find/save/", views.save_finder_answers, name="save_finder_answers"),
    path("find/forget/", views.forget_finder_answers, name="forget_finder_answers"),
    path("support-a-friend/", views.friend_guide, name="friend_guide"),
    path("support-a-friend/<slug:page_slug>/", views.guide_page, name="guide_page"),
    path("org/<slug:slug>/services/", views.manage_services, name="manage_services"),
    path("org/<slug:slug>/services/new/", views.create_service, name="create_service"),
    path("org/<slug:slug>/services/<int:pk>/edit/", views.edit_service, name="edit_service"),
    path("org/<slug:slug>/services/<int:pk>/retire/", views.retire_service, name="retire_service"),
    path(
        "org/<slug:slug>/services/<int:pk>/reviewed/",
        views.mark_service_reviewed,
        name="mark_service_reviewed",
    ),
    path(
        "org/<slug:slug>/services/export.<str:file_format>",
        views.export_services,
        name="export_services",
    ),
    path("org/<slug:slug>/services/import/", views.import_services, name="import_services"),
    path("org/<slug:slug>/guide/", views.manage_guide, name="manage_guide"),
    path("org/<slug:slug>/guide/new/", views.new_guide_page, name="new_guide_page"),
    path(
        "org/<slug:slug>/guide/<slug:page_slug>/edit/",
        views.edit_guide_page,
        name="edit_guide_page",
    ),
    path(
        "org/<slug:slug>/guide/<slug:page_slug>/history/",
        views.guide_page_history,
        name="guide_page_history",
    ),
    path(
        "org/<slug:slug>/guide/<slug:page_slug>/history/<int:number>/restore/",
        views.restore_guide_version,
        name="restore_guide_version",
    ),
]
