"""Meetings and conferences: rooms, participants, documents, minutes, conclusions that become tasks."""
