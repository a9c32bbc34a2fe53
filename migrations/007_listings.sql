-- The rental host's apartments (seed 000, TeAlquilamos) and the nights already taken on each, so a
-- booking inquiry is answered from what is really free. A stay is a daterange [check-in, check-out):
-- the check-out day is free for the next guest's check-in.

-- btree_gist lets one GiST exclusion constraint compare listing ids (=) and ranges (&&) together. It
-- ships with postgresql-contrib and is a trusted extension (PostgreSQL 13+): a database owner may
-- create it without being superuser.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE listings (
  id               serial PRIMARY KEY,
  slug             text          NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name             text          NOT NULL CHECK (name <> ''),
  -- where it is, as guests ask for it: the city ("Cartagena") and the neighbourhood ("Bocagrande")
  city             text          NOT NULL CHECK (city <> ''),
  zone             text          NOT NULL CHECK (zone <> ''),
  capacity         integer       NOT NULL CHECK (capacity > 0),
  price_per_night  numeric(12,2) NOT NULL CHECK (price_per_night > 0),
  -- charged once per stay, whatever its length
  cleaning_fee     numeric(12,2) NOT NULL DEFAULT 0 CHECK (cleaning_fee >= 0),
  min_nights       integer       NOT NULL DEFAULT 1 CHECK (min_nights >= 1),
  rules            text,
  -- the host's switch: an inactive listing is never offered, whatever its calendar
  is_active        boolean       NOT NULL DEFAULT true,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  updated_at       timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE listing_bookings (
  id           bigserial PRIMARY KEY,
  listing_id   integer     NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  -- [check-in, check-out): a date daterange is always stored in this canonical form, so the checks
  -- only refuse empty stays (check-out on or before check-in) and open-ended ones
  stay         daterange   NOT NULL CHECK (NOT isempty(stay) AND NOT lower_inf(stay) AND NOT upper_inf(stay)),
  -- held: the team is confirming it (the nights are already taken); cancelled: the nights are free again
  status       text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'confirmed', 'cancelled')),
  guest_phone  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- Two live bookings of one listing never share a night, whatever runs concurrently: the database
  -- refuses the second (SQLSTATE 23P01). The GiST index behind it also serves the availability query.
  CONSTRAINT listing_bookings_no_overlap EXCLUDE USING gist (listing_id WITH =, stay WITH &&) WHERE (status <> 'cancelled')
);
