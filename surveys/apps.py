from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        from core import audit
        from surveys import invitations, staff_views
        from training.staff_event_page import StaffEventSection, register_section

        invitations.register_kinds()
        register_section(
            StaffEventSection(code="surveys.results", order=20, render=staff_views.event_section)
        )
        audit.register_actions(
            {
                "surveys.survey.created": _("Created the questionnaire"),
                "surveys.survey.changed": _("Changed the questionnaire's settings"),
                "surveys.survey.paper_entered": _("Entered a paper questionnaire"),
                "surveys.question.added": _("Added a question"),
                "surveys.question.changed": _("Changed a question"),
                "surveys.question.removed": _("Removed a question"),
                "surveys.question.moved": _("Moved a question"),
                "surveys.response.hidden": _("Hid an answer from exports and the report"),
                "surveys.response.shown": _("Showed an answer in exports and the report again"),
            }
        )
