"""The built-in thresholds (警示 / 责令改正 / 通报批评), one module each, registered as plugins."""
