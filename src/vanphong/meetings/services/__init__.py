"""Every write of the meetings module: one function per act, one transaction, one audit entry."""
