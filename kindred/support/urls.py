from django.urls import path

from kindred.support import views

urlpatterns = [
    path("support/", views.support_home, name="support_home"),
    path("support/ask/", views.ask_for_support, name="ask_for_support"),
    path("support/requests/<int:pk>/", views.support_request, name="support_request"),
    path("support/requests/<int:pk>/withdraw/", views.withdraw_request, name="withdraw_request"),
    path("support/offers/", views.offers, name="offers"),
    path(
        "support/offers/<int:pk>/<str:answer>/",
        views.answer_offer,
        name="answer_offer",
    ),
    path("support/conversations/<int:pk>/", views.conversation, name="conversation"),
    path(
        "support/conversations/<int:pk>/messages/",
        views.conversation_messages,
        name="conversation_messages",
    ),
    path(
        "support/conversations/<int:pk>/close/",
        views.close_conversation,
        name="close_conversation",
    ),
    path(
        "support/conversations/<int:pk>/delete/",
        views.delete_conversation,
        name="delete_conversation",
    ),
    path("support/conversations/<int:pk>/keep/", views.keep_conversation, name="keep_conversation"),
    path(
        "support/conversations/<int:pk>/report/",
        views.report_conversation,
        name="report_conversation",
    ),
    path("support/conversations/<int:pk>/block/", views.block, name="block"),
    path(
        "support/conversations/<int:pk>/feedback/",
        views.conversation_feedback,
        name="conversation_feedback",
    ),
    path("support/conversations/<int:pk>/log/", views.session_log, name="session_log"),
    path("support/conversations/<int:pk>/suggest/", views.suggest_service, name="suggest_service"),
    path("support/referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("org/<slug:slug>/supporter-profile/", views.supporter_profile, name="supporter_profile"),
    path("org/<slug:slug>/support/queue/", views.queue, name="support_queue"),
    path("org/<slug:slug>/support/assign/", views.run_assignment, name="run_assignment"),
    path("org/<slug:slug>/support/reports/", views.reports, name="support_reports"),
    path("org/<slug:slug>/support/settings/", views.support_settings, name="support_settings"),
]
