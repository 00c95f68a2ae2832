"""Step 3 of a record's flow: does the record fit the v1 contract?"""
