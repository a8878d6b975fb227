"""Read-only JSON API for ministry statistics (token-authenticated)."""
