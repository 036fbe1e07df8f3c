"""Enforcement documents (执法文书): numbered records, orders and opinions, rendered to PDF."""
