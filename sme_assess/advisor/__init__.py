"""The advisor's workspace: dashboard of shared businesses, CSV, assisted visits."""
