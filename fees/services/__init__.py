"""Writes only, one module per concern: each public function (`<entity>_<action>`) checks
the role and the state under a row lock, runs in one transaction and leaves a history
record; views only call them. The reads they share with pages come from the selectors."""
