"""GraphQL without transport: the strawberry schema, the engine that runs it, its limits."""
