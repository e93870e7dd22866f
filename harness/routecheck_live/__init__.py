"""routecheck-live: checks a live LiteLLM proxy against the routecheck oracle."""
