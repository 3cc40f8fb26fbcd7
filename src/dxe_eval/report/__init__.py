"""Reports out of one evaluation: the presentation model and one module per format."""
