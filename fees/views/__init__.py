"""Views, one module per concern, each listing its routes in `urls` (fees/urls.py gathers
them): parse the request, call one service or selector, render or redirect with a message.
No business rule here: what may be done, and by whom, is decided by the services.
"""
