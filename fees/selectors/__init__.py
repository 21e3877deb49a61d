"""Reads that views, panels and exporters share, one module per concern.

A selector never writes and never imports a service. Who may see what is decided here
(a day's expected takings stay withheld until it is counted), so every page, chart and
download that reads through a selector shows the same figures.
"""
