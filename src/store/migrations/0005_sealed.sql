-- A cadre's personal numbers are sealed together: `sealed` holds the ID number and, after
-- a unit separator (U+001F), the phone — one nonce and one MAC a person instead of one a
-- number, a sixth of the row. Rows written before keep the ID number alone in `sealed` and
-- the phone in `phone_enc`, and are read as they are; every rewrite seals them anew.
ALTER TABLE cadres RENAME COLUMN id_enc TO sealed;
