"""Every write in the core app goes through a function here: one transaction, one audit entry."""
