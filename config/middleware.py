"""Japanese first: the language is Japanese unless the person chose another one with the
language switch (stored in the language cookie). The browser's Accept-Language is not
consulted, because a shared office PC or a phone set to English must not turn the prefecture's
pages English by surprise."""

from django.conf import settings
from django.utils import translation


class JapaneseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
