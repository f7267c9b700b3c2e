"""The JSON API: one NinjaAPI at /api/v1/, one router per app."""

from ninja import NinjaAPI

api = NinjaAPI(title="Grassroots API", version="1", urls_namespace="api")
