"""MkDocs adapter for the portal (entry point ``villages``)."""
