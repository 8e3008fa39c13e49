"""The JSON API at /api/v1/; each feature app adds a router module here."""

from ninja import NinjaAPI

from kindred.api import events, groups, me, navigator, officehours, qanda, safety, support
from kindred.api.auth import API_AUTH

api = NinjaAPI(
    title="Kindred API",
    version="1",
    description="Drive Kindred without the browser. Authenticate with a session or "
    "`Authorization: Bearer <personal token>` (create one on your account page).",
    auth=API_AUTH,
    urls_namespace="api",
)
api.add_router("", me.router)
api.add_router("", support.router)
api.add_router("", groups.router)
api.add_router("", navigator.router)
api.add_router("", officehours.router)
api.add_router("", safety.router)
api.add_router("", events.router)
api.add_router("", qanda.router)
