"""The task pages: home with baskets, list with filters, task page with its steps, assign form, plan matrix."""
