from django.urls import path

from kindred.qanda import views

urlpatterns = [
    path("events/<int:pk>/questions/", views.questions, name="questions"),
    path("events/<int:pk>/questions/list/", views.question_list, name="question_list"),
    path("events/<int:pk>/questions/ask/", views.ask_question, name="ask_question"),
    path("events/<int:pk>/questions/switch/", views.switch_qanda, name="switch_qanda"),
    path("events/<int:pk>/questions/export/", views.export_questions, name="export_questions"),
    path("questions/<int:pk>/vote/", views.vote_question, name="vote_question"),
    path("questions/<int:pk>/report/", views.report_question, name="report_question"),
    path("questions/<int:pk>/moderate/", views.moderate_question, name="moderate_question"),
    path("questions/<int:pk>/merge/", views.merge_question, name="merge_question"),
]
