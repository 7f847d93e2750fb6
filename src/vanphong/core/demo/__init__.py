"""The demo office: a fictional province, tỉnh Sơn Hà, loaded by ``vanphong demo``.

``data`` holds what the province looks like (bodies, units, names, restructurings, the demo
logins) as plain tuples; ``build`` creates it through the services, so the demo also leaves the
audit trail a real office would have. See docs/demo-office.md.
"""
