"""The fake's state and rules in plain Python: no web or GraphQL library is imported here."""
