"""The web app: server-rendered pages and their JSON twins over one store.

    from newsledger.api import create_app
    app = create_app("sqlite:///newsledger.db", token=None)  # read-only without a token

``newsledger serve`` runs it with uvicorn. ``app.py`` builds the app (headers,
limits, the one error shape), ``views.py`` holds the handlers, ``pages.py`` the
templates' environment and ``highlight.py`` the article view's highlights.
"""

from newsledger.api.app import create_app

__all__ = ["create_app"]
