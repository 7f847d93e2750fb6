"""Core: organisations, people, accounts, permissions and the audit log."""
