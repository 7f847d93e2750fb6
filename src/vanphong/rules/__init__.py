"""Domain rules as plain, typed Python: no Django, no ORM, no web."""
