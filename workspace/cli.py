"""The `workspace` command (and `python -m workspace.cli`): the app's commands
(workspace/commands.py, registered by the app factory) on an app made from the environment."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from workspace import create_app


def create_cli_app() -> Flask:
    return create_app()


main = FlaskGroup(create_app=create_cli_app, help="Workspace, the self-hosted project workspace.")


if __name__ == "__main__":
    main()
