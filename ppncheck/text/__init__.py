"""Step 4 of a record's flow: read free text with spaCy components (AWARE, speech, children,
placeholders, victim-blaming) and return plain ``TextAnalysis`` results to the rules."""
