"""The built-in scoring rules, one module each, registered as plugins like any third party's."""
