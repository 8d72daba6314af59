"""Flask blueprints, one per concern; each is thin over a service in the package."""
