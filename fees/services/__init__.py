"""State changes of the fees app. Each public function checks the role and the state under
a row lock, runs in one transaction and leaves a history record; views only call them."""
