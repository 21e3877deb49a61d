"""Forms: what a person typed, parsed and checked field by field, one module per concern.

A form hands typed input to a service and never writes. A rule the service must enforce
again under its lock lives once (in validators) and is called from both.
"""
