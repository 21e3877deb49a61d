# config owns no tables. This module exists because Django sends post_migrate only to apps
# with a models module, and config's handler (apps.py) keeps the role groups in sync.
