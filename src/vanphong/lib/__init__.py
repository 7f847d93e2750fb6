"""Model-free helpers shared by every app: Vietnamese text, identifier codes, files."""
