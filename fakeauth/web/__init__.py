"""HTTP with aiohttp: the app, the one request pipeline, and the pages and APIs it serves."""
