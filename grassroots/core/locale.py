class ChineseFirstMiddleware:
    """zh-Hans is the UI language unless the person chose another with the language switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language header, and an
    English-language browser on an office PC would get the English UI. Placed before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
