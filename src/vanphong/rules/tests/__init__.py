"""Tests of the pure rules modules: they run without Django (pytest -p no:django)."""
