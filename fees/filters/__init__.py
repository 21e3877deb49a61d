"""Filters (django-filter) of the lists, one module per concern: the fields a list can be
narrowed by, and the query each adds.
"""
