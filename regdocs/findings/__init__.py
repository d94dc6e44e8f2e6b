"""Find what matters in a comparison (obligations, quantities, references, terms) and lint a version."""
