"""Forms of the surveys module: `feedback` (staff pages of citizen feedback), `public` (the citizens'
pages), `sipas` (staff pages of the satisfaction surveys). They shape what was typed; the services
check the rules and have the last word."""
