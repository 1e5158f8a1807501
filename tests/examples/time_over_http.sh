FAKEAUTH=http://127.0.0.1:3001/__fakeauth

# Where is the clock?
curl -s $FAKEAUTH/clock -w '\n'

# Let 20 days pass: access tokens issued before are now expired
curl -s -X POST $FAKEAUTH/clock/advance -H 'Content-Type: application/json' -d '{"by": "20d"}' -w '\n'

# Jump to an instant and let time run from there
curl -s -X PUT $FAKEAUTH/clock -H 'Content-Type: application/json' \
  -d '{"now": "2024-02-29T12:00:00Z", "frozen": false}' -w '\n'

# Back to the start: users as loaded, clock as started, no faults, an empty request log
curl -s -X POST $FAKEAUTH/reset -w '%{http_code}\n'
curl -s $FAKEAUTH/clock -w '\n'
