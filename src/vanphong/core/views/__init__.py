"""Core pages, one module per area. Views are thin: access helper, form, service, template."""
