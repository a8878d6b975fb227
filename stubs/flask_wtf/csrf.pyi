from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from werkzeug.exceptions import BadRequest

_V = TypeVar("_V", bound=Callable[..., Any])

class CSRFError(BadRequest):
    description: str

class CSRFProtect:
    def __init__(self, app: Flask | None = ...) -> None: ...
    def init_app(self, app: Flask) -> None: ...
    def exempt(self, view: _V) -> _V: ...
    def protect(self) -> None: ...

def generate_csrf(secret_key: str | None = ..., token_key: str | None = ...) -> str: ...
def validate_csrf(
    data: str | None,
    secret_key: str | None = ...,
    time_limit: int | None = ...,
    token_key: str | None = ...,
) -> None: ...
