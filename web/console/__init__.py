"""The staff console: accounts, procedure editing and publishing (``/console/``)."""
