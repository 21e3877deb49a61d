"""Views, one module per concern, each listing its routes in `urls` (deposits/urls.py gathers
them): parse the request, call one service or selector, render or redirect with a message."""
