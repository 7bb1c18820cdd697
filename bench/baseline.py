"""The baseline web app: a bare Flask route returning a constant, served exactly like labelapp."""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def constant() -> str:
        return "ok"

    return app
