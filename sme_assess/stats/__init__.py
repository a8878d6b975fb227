"""Ministry statistics: summaries, disclosure control, dashboard, downloads."""
