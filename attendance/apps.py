from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from attendance import registrant_page, reminders

        reminders.register_kinds()
        registrant_page.register()
