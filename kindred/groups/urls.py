from django.urls import path

from kindred.groups import views

urlpatterns = [
    # Members
    path("groups/", views.groups_home, name="groups_home"),
    path("groups/cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("groups/cohorts/<int:pk>/join/", views.join_cohort, name="join_cohort"),
    path("groups/cohorts/<int:pk>/leave/", views.leave_cohort, name="leave_cohort"),
    path("groups/cohorts/<int:pk>/offer/", views.answer_place_offer, name="answer_place_offer"),
    path("groups/cohorts/<int:pk>/agreement/", views.group_agreement, name="group_agreement"),
    path(
        "groups/cohorts/<int:pk>/calendar.ics",
        views.cohort_calendar_file,
        name="cohort_calendar_file",
    ),
    path("groups/sessions/<int:pk>/", views.group_session, name="group_session"),
    path("groups/sessions/<int:pk>/topics/", views.suggest_topic, name="suggest_topic"),
    path("groups/sessions/<int:pk>/feedback/", views.session_feedback, name="session_feedback"),
    path("groups/topics/<int:pk>/vote/", views.vote_topic, name="vote_topic"),
    path("groups/topics/<int:pk>/withdraw/", views.withdraw_topic, name="withdraw_topic"),
    path("groups/guide/", views.facilitator_guide, name="facilitator_guide"),
    path(
        "groups/guide/<slug:page_slug>/",
        views.facilitator_guide_page,
        name="facilitator_guide_page",
    ),
    # Facilitators
    path("groups/facilitating/", views.facilitating, name="facilitating"),
    path("groups/cohorts/<int:pk>/run/", views.run_cohort, name="run_cohort"),
    path(
        "groups/cohorts/<int:pk>/escalate/", views.escalate_from_group, name="escalate_from_group"
    ),
    path("groups/cohorts/<int:pk>/feedback/", views.cohort_feedback, name="cohort_feedback"),
    path(
        "groups/applications/<int:pk>/<str:answer>/",
        views.answer_application,
        name="answer_application",
    ),
    path("groups/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("groups/sessions/<int:pk>/materials/new/", views.add_material, name="add_material"),
    path("groups/sessions/<int:pk>/reflection/", views.reflection, name="reflection"),
    path("groups/topics/<int:pk>/merge/", views.merge_topic, name="merge_topic"),
    path("groups/materials/<int:pk>/delete/", views.delete_material, name="delete_material"),
    # Advisors
    path(
        "org/<slug:slug>/groups/consultations/",
        views.consultations,
        name="group_consultations",
    ),
    path(
        "org/<slug:slug>/groups/consultations/<int:pk>/<str:action>/",
        views.consultation_action,
        name="consultation_action",
    ),
    # Coordinators
    path("org/<slug:slug>/groups/", views.manage_groups, name="manage_groups"),
    path("org/<slug:slug>/groups/insights/", views.group_insights, name="group_insights"),
    path("org/<slug:slug>/groups/programmes/new/", views.new_programme, name="new_programme"),
    path(
        "org/<slug:slug>/groups/programmes/<int:pk>/edit/",
        views.edit_programme,
        name="edit_programme",
    ),
    path(
        "org/<slug:slug>/groups/programmes/<int:pk>/cohorts/new/",
        views.new_cohort,
        name="new_cohort",
    ),
    path("org/<slug:slug>/groups/cohorts/<int:pk>/edit/", views.edit_cohort, name="edit_cohort"),
    path("org/<slug:slug>/groups/cohorts/<int:pk>/open/", views.open_cohort, name="open_cohort"),
    path(
        "org/<slug:slug>/groups/guide/",
        views.manage_facilitator_guide,
        name="manage_facilitator_guide",
    ),
    path(
        "org/<slug:slug>/groups/guide/new/",
        views.new_facilitator_guide_page,
        name="new_facilitator_guide_page",
    ),
    path(
        "org/<slug:slug>/groups/guide/<slug:page_slug>/edit/",
        views.edit_facilitator_guide_page,
        name="edit_facilitator_guide_page",
    ),
    path(
        "org/<slug:slug>/groups/guide/<slug:page_slug>/history/",
        views.facilitator_guide_history,
        name="facilitator_guide_history",
    ),
    path(
        "org/<slug:slug>/groups/guide/<slug:page_slug>/history/<int:number>/restore/",
        views.restore_facilitator_guide_version,
        name="restore_facilitator_guide_version",
    ),
]
