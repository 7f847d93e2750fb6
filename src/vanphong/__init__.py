"""Vanphong: the digital office of a Party Committee or People's Committee."""

__version__ = "0.1.0"
