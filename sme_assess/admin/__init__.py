"""Administration: the account list (deactivate) and the audit log."""
