from django.urls import path

from kindred.events import views

org = "org/<slug:slug>/events/"

urlpatterns = [
    # Members
    path("events/", views.events_home, name="events_home"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/rsvp/", views.rsvp_event, name="rsvp_event"),
    path("events/<int:pk>/calendar.ics", views.event_calendar_file, name="event_calendar_file"),
    path("events/<int:pk>/check-in/", views.check_in, name="event_check_in"),
    path("events/<int:pk>/feedback/", views.event_feedback, name="event_feedback"),
    path("events/speakers/<int:pk>/photo/", views.speaker_photo, name="speaker_photo"),
    path(
        "events/speakers/<int:pk>/accept/",
        views.accept_speaker_invitation,
        name="accept_speaker_invitation",
    ),
    path("events/topics/", views.topic_proposals, name="topic_proposals"),
    path("events/topics/<int:pk>/vote/", views.vote_proposal, name="vote_proposal"),
    path("events/topics/<int:pk>/withdraw/", views.withdraw_proposal, name="withdraw_proposal"),
    path("events/calendar-feed/", views.event_feed_settings, name="event_feed_settings"),
    path("events/calendar-feed/revoke/", views.revoke_event_feed, name="revoke_event_feed"),
    # A member's private feed of the events they are going to: the secret is the key.
    path("events/feed/<str:token>.ics", views.events_calendar_feed, name="events_calendar_feed"),
    # Coordinators
    path(org, views.manage_events, name="manage_events"),
    path(f"{org}new/", views.new_event, name="new_event"),
    path(f"{org}series/new/", views.new_series, name="new_series"),
    path(f"{org}topics/", views.manage_topics, name="manage_topics"),
    path(f"{org}topics/<int:pk>/merge/", views.merge_proposal, name="merge_proposal"),
    path(f"{org}<int:pk>/", views.run_event, name="run_event"),
    path(f"{org}<int:pk>/edit/", views.edit_event, name="edit_event"),
    path(f"{org}<int:pk>/cancel/", views.cancel_event, name="cancel_event"),
    path(f"{org}<int:pk>/check-in-code/", views.new_check_in_code, name="new_check_in_code"),
    path(f"{org}<int:pk>/speakers/", views.event_speakers, name="event_speakers"),
    path(
        f"{org}<int:pk>/speakers/<int:speaker_pk>/remove/",
        views.remove_speaker,
        name="remove_speaker",
    ),
]
