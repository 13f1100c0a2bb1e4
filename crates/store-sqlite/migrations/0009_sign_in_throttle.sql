-- Sign-in failures are counted per account and client (the `username` column holds the
-- counter's key: `bob`, `bob from 192.0.2.7`, `bob strangers`, `bob device <nonce>`), and
-- failures older than the throttle window are forgotten by time: this index makes that cheap.
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
