from core.center import current


def center(request):
    """``center`` in every template: the center's name and contacts (core.center)."""
    return {"center": current()}
