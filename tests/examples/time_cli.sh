# The access token john gets at the documented instant
ACCESS=$(fakeauth token john@mail.com --now 2023-01-03T20:44:43Z --only access)

# One second before it expires, and at the moment it does
fakeauth decode "$ACCESS" --now 2023-01-23T20:44:42Z
fakeauth decode "$ACCESS" --now 2023-01-23T20:44:43Z || echo "exit code $?"
