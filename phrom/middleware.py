"""Thai first: pages speak Thai unless the person chose English with the language switch.

Officers often use browsers set up in English; Accept-Language would then switch Phrom to English
although the office works in Thai. So pages ignore Accept-Language and follow the language cookie
(set by the switch, and at sign-in from the user's saved choice). The API keeps Accept-Language,
which is how programs ask for a language.
"""


class ThaiFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/v1/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
