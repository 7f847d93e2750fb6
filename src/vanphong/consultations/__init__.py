"""Written consultation of committee members (xin ý kiến bằng văn bản)."""
