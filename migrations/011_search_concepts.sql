-- The shop's own needs and uses for search by need ("para la finca", "para el día de la madre"), on top
-- of the general Spanish lexicon that ships with the code (src/commerce/search-lexicon.ts). A row whose
-- need is one the lexicon has adds its words to it; any other row is a need of its own. Read by each
-- process at most once a minute, so an INSERT is live within the minute, no deploy.
CREATE TABLE search_concepts (
  need        text        PRIMARY KEY CHECK (need <> ''),          -- how a reply names it after "para": 'la finca'
  cues        text[]      NOT NULL DEFAULT '{}',                   -- words customers name it with: {finca, campo}
  products    text[]      NOT NULL DEFAULT '{}',                   -- words of products that serve it: {machete, 'botas de caucho'}
  or_popular  boolean     NOT NULL DEFAULT false,                  -- suggest the popular products when nothing serves it
  updated_at  timestamptz NOT NULL DEFAULT now()
);
