"""Tables (django-tables2) of the lists, one module per concern: the columns, their order
and how a cell reads. They render the rows a view's queryset gives and run no query of
their own.
"""
