from typing import Any

class URLFetcherResponse:
    url: str
    status: str
    headers: Any
    def __init__(
        self,
        url: str,
        body: bytes | None = ...,
        headers: Any = ...,
        status: str | int = ...,
        **kwargs: Any,
    ) -> None: ...

class URLFetcher:
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
    def fetch(self, url: str, headers: Any = ...) -> URLFetcherResponse: ...
    def __call__(self, url: str) -> Any: ...

def default_url_fetcher(url: str, timeout: int = ..., ssl_context: Any = ...) -> dict[str, Any]: ...
