"""Notifications and periodic jobs: in-app notices, batched e-mail, reminders' runner."""
