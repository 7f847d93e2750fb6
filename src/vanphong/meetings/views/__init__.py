"""The meetings pages: thin views over ``access`` (reads), ``forms`` (input) and ``services`` (writes)."""
