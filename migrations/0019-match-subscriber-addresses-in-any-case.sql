-- Addresses are matched in any letter case, as readers type them ("Ann.Example@" and
-- "ann.example@" are one reader): sign-up, erasure and the rate limit per address look them up
-- by lower(email), which these indexes serve.
CREATE INDEX subscriptions_email_lower ON subscriptions (lower(email));
CREATE INDEX mail_outbox_to_lower ON mail_outbox (lower(to_address));
