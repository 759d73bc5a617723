"""Demo content built from the facts of the institute's public documents."""
