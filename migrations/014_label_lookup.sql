-- Guests by label, case-insensitively (the admin API's ?label=vip finds a guest labelled VIP): labels keep
-- the spelling they were given, the lookup goes through their lower-case set, indexed as the labels are.
CREATE FUNCTION lower_labels(labels jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (SELECT coalesce(jsonb_agg(lower(value)), '[]'::jsonb) FROM jsonb_array_elements_text(labels));

CREATE INDEX guest_profiles_lower_labels_idx ON guest_profiles USING gin (lower_labels(labels));
