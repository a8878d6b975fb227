"""One business as its owner or a consenting advisor sees it: history, comparison, plan."""
