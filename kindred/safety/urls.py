from django.urls import path

from kindred.safety import views

urlpatterns = [
    path(
        "safety/conversations/<int:pk>/panel/",
        views.conversation_panel,
        name="safety_conversation_panel",
    ),
    path("safety/conversations/<int:pk>/escalate/", views.escalate, name="escalate"),
    path("safety/escalations/<int:pk>/", views.escalation, name="escalation"),
    path(
        "safety/escalations/<int:pk>/acknowledge/",
        views.acknowledge,
        name="acknowledge_escalation",
    ),
    path("safety/escalations/<int:pk>/action/", views.record_action, name="escalation_action"),
    path("safety/escalations/<int:pk>/close/", views.close_escalation, name="close_escalation"),
    path("safety/about-me/", views.about_me, name="escalations_about_me"),
    path("safety/plan/", views.safety_plan, name="safety_plan"),
    path("safety/plan/edit/", views.edit_safety_plan, name="edit_safety_plan"),
    path("safety/plan/delete/", views.delete_safety_plan, name="delete_safety_plan"),
    path(
        "org/<slug:slug>/safety/escalations/",
        views.advisor_escalations,
        name="advisor_escalations",
    ),
    path("org/<slug:slug>/safety/rota/", views.rota, name="safety_rota"),
    path(
        "org/<slug:slug>/safety/rota/<int:shift_id>/remove/",
        views.remove_duty_shift,
        name="remove_duty_shift",
    ),
    path("org/<slug:slug>/safety/supervision/", views.supervision, name="safety_supervision"),
]
