"""Results and reports: plain report data (dataclasses) → HTML → PDF, and SVG charts."""
