from typing import Any

from .text.fonts import FontConfiguration
from .urls import URLFetcher

class CSS:
    def __init__(
        self,
        guess: Any = ...,
        filename: str | None = ...,
        url: str | None = ...,
        file_obj: Any = ...,
        string: str | None = ...,
        encoding: str | None = ...,
        base_url: str | None = ...,
        url_fetcher: URLFetcher | Any = ...,
        _check_mime_type: bool = ...,
        media_type: str = ...,
        font_config: FontConfiguration | None = ...,
        counter_style: Any = ...,
        matcher: Any = ...,
        page_rules: Any = ...,
    ) -> None: ...

class Document:
    pages: list[Any]
    def write_pdf(
        self, target: Any = ..., zoom: float = ..., finisher: Any = ..., **options: Any
    ) -> bytes: ...

class HTML:
    def __init__(
        self,
        guess: Any = ...,
        filename: str | None = ...,
        url: str | None = ...,
        file_obj: Any = ...,
        string: str | None = ...,
        encoding: str | None = ...,
        base_url: str | None = ...,
        url_fetcher: URLFetcher | Any = ...,
        media_type: str = ...,
    ) -> None: ...
    def render(
        self,
        font_config: FontConfiguration | None = ...,
        counter_style: Any = ...,
        color_space: Any = ...,
        **options: Any,
    ) -> Document: ...
    def write_pdf(
        self,
        target: Any = ...,
        zoom: float = ...,
        finisher: Any = ...,
        font_config: FontConfiguration | None = ...,
        counter_style: Any = ...,
        color_space: Any = ...,
        **options: Any,
    ) -> bytes: ...
