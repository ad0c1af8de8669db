from django.urls import path

from surveys import staff_views, views

app_name = "surveys"

urlpatterns = [
    path("a/<str:token>/", views.answer, name="answer"),
    path("thanks/", views.thanks, name="thanks"),
    # center staff
    path("staff/events/<int:event_pk>/create/", staff_views.create, name="create"),
    path("staff/<int:pk>/", staff_views.edit, name="edit"),
    path("staff/<int:pk>/options/", staff_views.options, name="options"),
    path("staff/<int:pk>/paper/", staff_views.paper, name="paper"),
    path("staff/<int:pk>/hidden/", staff_views.response_hidden, name="hidden"),
    path("staff/<int:pk>/results.xlsx", staff_views.results_xlsx, name="xlsx"),
    path("staff/<int:pk>/questionnaire.pdf", staff_views.questionnaire_pdf, name="pdf"),
    path("staff/questions/<int:pk>/", staff_views.question_edit, name="question"),
    path("staff/questions/<int:pk>/remove/", staff_views.question_remove, name="question_remove"),
    path("staff/questions/<int:pk>/move/", staff_views.question_move, name="question_move"),
]
