"""Step 2 of a record's flow: turn accepted input variants into the contract's values."""
