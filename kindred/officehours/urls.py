from django.urls import path

from kindred.officehours import views

org = "org/<slug:slug>/office-hours/"

urlpatterns = [
    # Members
    path("office-hours/", views.office_hours, name="office_hours"),
    path("office-hours/slots/<int:pk>/book/", views.book_slot, name="book_slot"),
    path("office-hours/bookings/", views.my_bookings, name="my_bookings"),
    path("office-hours/bookings/<int:pk>/", views.booking, name="booking"),
    path(
        "office-hours/bookings/<int:pk>/calendar.ics",
        views.booking_calendar_file,
        name="booking_calendar_file",
    ),
    path("office-hours/bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("office-hours/bookings/<int:pk>/move/", views.move_booking, name="move_booking"),
    path("office-hours/bookings/<int:pk>/missed/", views.mark_no_show, name="mark_no_show"),
    path("office-hours/walk-in/<int:pk>/", views.walk_in, name="walk_in"),
    path("office-hours/walk-in/<int:pk>/place/", views.queue_place, name="queue_place"),
    path("office-hours/walk-in/<int:pk>/join/", views.join_queue, name="join_queue"),
    path("office-hours/walk-in/<int:pk>/leave/", views.leave_queue, name="leave_queue"),
    # Supporters
    path(f"{org}availability/", views.availability, name="availability"),
    path(f"{org}availability/new/", views.new_rule, name="new_rule"),
    path(f"{org}availability/<int:pk>/", views.edit_rule, name="edit_rule"),
    path(f"{org}availability/<int:pk>/delete/", views.delete_rule, name="delete_rule"),
    path(f"{org}time-off/new/", views.new_time_off, name="new_time_off"),
    path(f"{org}time-off/<int:pk>/delete/", views.delete_time_off, name="delete_time_off"),
    path(f"{org}sessions/", views.supporter_sessions, name="supporter_sessions"),
    path(f"{org}walk-in/<int:pk>/", views.run_queue, name="run_queue"),
    path(f"{org}walk-in/<int:pk>/queue/", views.queue_list, name="queue_list"),
    path(f"{org}walk-in/<int:pk>/call/", views.call_next, name="call_next"),
    path(f"{org}calendar-feed/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path(f"{org}calendar-feed/revoke/", views.revoke_calendar_feed, name="revoke_calendar_feed"),
    # Coordinators
    path(f"{org}coverage/", views.coverage, name="office_hours_coverage"),
    path(f"{org}calendar/", views.academic_calendar, name="academic_calendar"),
    path(f"{org}calendar/<int:pk>/delete/", views.delete_milestone, name="delete_milestone"),
    # A supporter's private calendar feed: the secret in the address is the key.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
