"""Views, one module per concern (register: units, tenants, occupancies, contractors and the
access log), routed by archives/urls.py: parse the request, call one service or selector,
render or redirect with a message."""
