"""Who may do what with trainings (see directory.permissions for the roles).

- Every staff role sees every event (``Event.objects.visible_to``); the public sees published
  trainings only (``Event.objects.public``).
- Only center staff create, change, publish and cancel events and courses, and see, enter,
  promote, cancel and export registrations (personal data of trainees).
- A registrant acts on their own registration through the secret token of their management
  link, never through an account.
"""

from directory.permissions import is_center_staff


def can_change_event(user, event=None) -> bool:
    return is_center_staff(user)


def can_change_course(user, course=None) -> bool:
    return is_center_staff(user)


def can_see_registrations(user, event) -> bool:
    return is_center_staff(user)


def can_manage_registrations(user, event) -> bool:
    """Enter phone/fax registrations, promote, cancel on someone's behalf, export."""
    return is_center_staff(user)
